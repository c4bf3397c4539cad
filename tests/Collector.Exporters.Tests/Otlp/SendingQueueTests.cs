using Collector.Core.Components;
using Collector.Core.Helpers;
using Collector.Core.Model;
using Collector.Exporters.Tests.Otlp.Support;
using Microsoft.Extensions.Logging;

namespace Collector.Exporters.Tests.Otlp;

/// <summary>The in-memory sending queue: bounded, refusing when full, drained at shutdown within the time given.</summary>
public sealed class SendingQueueTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private GrpcSink _sink = null!;

    public async ValueTask InitializeAsync() => _sink = await GrpcSink.StartAsync();

    public async ValueTask DisposeAsync() => await _sink.DisposeAsync();

    [Fact]
    public async Task A_full_queue_refuses_at_once_with_a_retryable_error_and_counts_the_samples()
    {
        _sink.Reply = r => r.Number == 1 ? GrpcReply.Ok with { Delay = TimeSpan.FromSeconds(1) } : GrpcReply.Ok;
        var exporter = TestExporters.Grpc(_sink.Endpoint, o =>
        {
            o.SendingQueue.NumConsumers = 1;
            o.SendingQueue.QueueSize = 2;
        });
        await exporter.StartAsync(new TestHost(), default);

        await exporter.ConsumeAsync(TestBatches.Simple(1), default);
        await Eventually.HoldsAsync(() => _sink.Calls == 1, Patience, () => "the first request in flight");
        await exporter.ConsumeAsync(TestBatches.Simple(2), default);
        await exporter.ConsumeAsync(TestBatches.Simple(3), default);
        var started = DateTime.UtcNow;
        var refusal = await Assert.ThrowsAsync<RetryableException>(() => exporter.ConsumeAsync(TestBatches.Simple(4), default).AsTask());

        Assert.True(DateTime.UtcNow - started < TimeSpan.FromMilliseconds(500), "a full queue must refuse, not wait");
        Assert.Contains("queue is full", refusal.Message, StringComparison.Ordinal);
        Assert.Equal(2, exporter.QueueSize);
        Assert.Equal(2, exporter.QueueCapacity);
        Assert.Equal(4, exporter.EnqueueFailedSamples);
        await exporter.ShutdownAsync(default);
        Assert.Equal(1 + 2 + 3, exporter.SentSamples);
        Assert.Equal([1, 2, 3], _sink.Received.Select(r => Records.SampleCount(r.Request)).Order());
    }

    [Fact]
    public async Task The_parts_of_a_split_batch_enter_the_queue_together_or_not_at_all()
    {
        _sink.Reply = r => r.Number == 1 ? GrpcReply.Ok with { Delay = TimeSpan.FromSeconds(1) } : GrpcReply.Ok;
        var exporter = TestExporters.Grpc(_sink.Endpoint, o =>
        {
            o.SendingQueue.NumConsumers = 1;
            o.SendingQueue.QueueSize = 3;
            o.MaxRequestSize = 2048;
        });
        await exporter.StartAsync(new TestHost(), default);
        await exporter.ConsumeAsync(TestBatches.Simple(1), default);
        await Eventually.HoldsAsync(() => _sink.Calls == 1, Patience, () => "the first request in flight");
        await exporter.ConsumeAsync(TestBatches.Simple(1), default);

        // Large enough to need at least three parts: with one request queued, they cannot all fit.
        var big = TestBatches.Simple(200, leaves: 200);
        await Assert.ThrowsAsync<RetryableException>(() => exporter.ConsumeAsync(big, default).AsTask());

        Assert.Equal(1, exporter.QueueSize);
        Assert.Equal(200, exporter.EnqueueFailedSamples);
        await exporter.ShutdownAsync(default);
        Assert.Equal(2, exporter.SentSamples);
    }

    [Fact]
    public async Task Shutdown_sends_everything_queued_before_returning()
    {
        _sink.Reply = _ => GrpcReply.Ok with { Delay = TimeSpan.FromMilliseconds(30) };
        var exporter = TestExporters.Grpc(_sink.Endpoint, o => o.SendingQueue.NumConsumers = 2);
        await exporter.StartAsync(new TestHost(), default);
        for (var i = 0; i < 30; i++) await exporter.ConsumeAsync(TestBatches.Simple(5, pid: i), default);

        using var patience = new CancellationTokenSource(Patience);
        await exporter.ShutdownAsync(patience.Token);

        Assert.Equal(30, _sink.Received.Count);
        Assert.Equal(150, exporter.SentSamples);
        Assert.Equal(0, exporter.QueueSize);
        Assert.Equal(0, exporter.SendFailedSamples);
    }

    [Fact]
    public async Task What_shutdown_cannot_send_in_time_is_counted_and_logged_as_lost()
    {
        var logs = new CapturingLoggerFactory();
        var exporter = TestExporters.Grpc($"127.0.0.1:{FreePort.Next()}", o => o.SendingQueue.NumConsumers = 2, logs: logs);
        await exporter.StartAsync(new TestHost(), default);
        for (var i = 0; i < 5; i++) await exporter.ConsumeAsync(TestBatches.Simple(3, pid: i), default);

        using var hurry = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var started = DateTime.UtcNow;
        await exporter.ShutdownAsync(hurry.Token);

        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5), "shutdown must end when its token does");
        Assert.Equal(15, exporter.SendFailedSamples);
        Assert.Contains(logs.At(LogLevel.Error), m => m.Contains("5 queued requests (15 samples) were not sent and are lost", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Lifecycle_is_safe_without_start_twice_and_after_shutdown()
    {
        var never = TestExporters.Grpc(_sink.Endpoint);
        await never.ShutdownAsync(default);
        await never.ShutdownAsync(default);

        var exporter = TestExporters.Grpc(_sink.Endpoint);
        await exporter.StartAsync(new TestHost(), default);
        await exporter.StartAsync(new TestHost(), default);
        await exporter.ConsumeAsync(new ProfileBatch(), default);
        await exporter.ConsumeAsync(TestBatches.EventsOnly(), default);
        await exporter.ShutdownAsync(default);
        await exporter.ShutdownAsync(default);

        await Assert.ThrowsAsync<ComponentStoppedException>(() => exporter.ConsumeAsync(TestBatches.Known(), default).AsTask());
        Assert.Equal(0, _sink.Calls);
        Assert.False(exporter.MutatesData);
    }
}
