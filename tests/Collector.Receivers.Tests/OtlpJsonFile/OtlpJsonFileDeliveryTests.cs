using Collector.Core.Components;
using Collector.Receivers.OtlpJsonFile;
using Collector.Receivers.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Collector.Receivers.Tests.OtlpJsonFile;

public class OtlpJsonFileDeliveryTests
{
    [Fact]
    public async Task Retryable_refusals_are_retried_with_the_same_content_until_accepted()
    {
        await using var fixture = new ReceiverFixture();
        var path = fixture.PathOf("profiles.jsonl");
        await File.WriteAllBytesAsync(path, JsonLines.Of(TestBatches.Simple(1), TestBatches.Simple(2), TestBatches.Simple(3)));
        // Calls 2, 3 and 4 (the second batch and its first two retries) are refused.
        var consumer = new CapturingConsumer
        {
            Behaviour = (call, _) => call is >= 2 and <= 4 ? throw new RetryableException("queue full") : Task.CompletedTask,
        };
        var receiver = fixture.Create(consumer, path);

        await fixture.ReplayAsync(receiver);

        Assert.Equal([1, 2, 3], consumer.Batches.Select(b => b.SampleCount));
        Assert.Equal(6, consumer.Calls);
        Assert.Equal(3, receiver.AcceptedBatches);
        Assert.Equal(0, receiver.FailedBatches);
    }

    [Fact]
    public async Task A_permanent_failure_is_counted_and_reading_goes_on()
    {
        await using var fixture = new ReceiverFixture();
        var path = fixture.PathOf("profiles.jsonl");
        await File.WriteAllBytesAsync(path, JsonLines.Of(TestBatches.Simple(1), TestBatches.Simple(2), TestBatches.Simple(3)));
        var consumer = new CapturingConsumer
        {
            Behaviour = (call, _) => call == 2 ? throw new InvalidOperationException("bad batch") : Task.CompletedTask,
        };
        var receiver = fixture.Create(consumer, path);

        await fixture.ReplayAsync(receiver);

        Assert.Equal([1, 3], consumer.Batches.Select(b => b.SampleCount));
        Assert.Equal(1, receiver.FailedBatches);
        Assert.Equal(2, receiver.FailedSamples);
        Assert.Equal(4, receiver.AcceptedSamples);
        Assert.Contains(fixture.Logs.At(LogLevel.Error), e => e.Contains("bad batch", StringComparison.Ordinal) && e.Contains($"{path}:2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Shutdown_mid_file_lets_the_current_batch_finish_and_reads_no_further()
    {
        await using var fixture = new ReceiverFixture();
        var path = fixture.PathOf("profiles.jsonl");
        await File.WriteAllBytesAsync(path, JsonLines.Of([.. Enumerable.Range(1, 10).Select(i => TestBatches.Simple(i))]));
        var third = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var consumer = new CapturingConsumer { Behaviour = (call, _) => call == 3 ? third.Task : Task.CompletedTask };
        var receiver = fixture.Create(consumer, path);
        await receiver.StartAsync(fixture.Host, CancellationToken.None);
        await Eventually.TrueAsync(() => consumer.Calls == 3, "the third batch is being consumed");

        var shutdown = receiver.ShutdownAsync(CancellationToken.None);
        await Task.Delay(100);
        Assert.False(shutdown.IsCompleted, "shutdown waits for the batch being consumed");
        third.SetResult();
        await shutdown.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal([1, 2, 3], consumer.Batches.Select(b => b.SampleCount));
        Assert.Equal(3, consumer.Calls);
        Assert.Equal(3, receiver.AcceptedBatches);
    }

    [Fact]
    public async Task Shutdown_stops_retrying_and_counts_the_batch_as_failed()
    {
        await using var fixture = new ReceiverFixture();
        var path = fixture.PathOf("profiles.jsonl");
        await File.WriteAllBytesAsync(path, JsonLines.Of(TestBatches.Simple(1), TestBatches.Simple(2)));
        var consumer = new CapturingConsumer { Behaviour = (_, _) => throw new RetryableException("always full") };
        var receiver = fixture.Create(consumer, path);
        await receiver.StartAsync(fixture.Host, CancellationToken.None);
        await Eventually.TrueAsync(() => consumer.Calls >= 2, "the batch is retried");

        await receiver.ShutdownAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(1, receiver.FailedBatches);
        Assert.Equal(1, receiver.FailedSamples);
        Assert.Equal(0, receiver.AcceptedBatches);
    }

    [Fact]
    public async Task Shutdown_is_safe_without_start_and_twice()
    {
        await using var fixture = new ReceiverFixture();
        var consumer = new CapturingConsumer();
        var neverStarted = fixture.Create(consumer, fixture.PathOf("*.jsonl"));
        await neverStarted.ShutdownAsync(CancellationToken.None);
        await neverStarted.ShutdownAsync(CancellationToken.None);
        await neverStarted.StartAsync(fixture.Host, CancellationToken.None);

        var receiver = fixture.Create(consumer, new OtlpJsonFileReceiverOptions { Include = [fixture.PathOf("*.jsonl")], Follow = true });
        await receiver.StartAsync(fixture.Host, CancellationToken.None);
        await receiver.ShutdownAsync(CancellationToken.None);
        await receiver.ShutdownAsync(CancellationToken.None);
        Assert.True(receiver.Reading.IsCompleted);
    }

    [Fact]
    public async Task The_factory_creates_a_receiver_feeding_the_next_consumer()
    {
        await using var fixture = new ReceiverFixture();
        var path = fixture.PathOf("profiles.jsonl");
        await File.WriteAllBytesAsync(path, JsonLines.Of(TestBatches.Simple(4)));
        var consumer = new CapturingConsumer();

        var receiver = new OtlpJsonFileReceiverFactory().CreateReceiver(
            Settings.For("otlp_json_file", ComponentKind.Receiver), new OtlpJsonFileReceiverOptions { Include = [path] }, consumer);
        await receiver.StartAsync(fixture.Host, CancellationToken.None);
        await Eventually.TrueAsync(() => consumer.AcceptedSamples == 4, "the file is replayed");
        await receiver.ShutdownAsync(CancellationToken.None);
    }
}
