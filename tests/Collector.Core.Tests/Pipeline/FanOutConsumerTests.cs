using Collector.Core.Components;
using Collector.Core.Model;
using Collector.Core.Pipeline;

namespace Collector.Core.Tests.Pipeline;

public class FanOutConsumerTests
{
    private readonly Journal _journal = new();

    [Fact]
    public async Task Read_only_consumers_share_the_batch_and_mutating_ones_get_copies()
    {
        var reader = new FakeExporter("reader", _journal, mutates: false);
        var writer = new FakeExporter("writer", _journal, mutates: true);
        var batch = Telemetry.PipelineTelemetryTests.Batch(1);

        await new FanOutConsumer([reader, writer]).ConsumeAsync(batch, CancellationToken.None);

        Assert.Same(batch, Assert.Single(reader.Received));
        Assert.NotSame(batch, Assert.Single(writer.Received));
        Assert.Empty(batch.ProcessEvents); // the writer's mutation did not leak into the shared batch
        Assert.Single(writer.Received[0].ProcessEvents);
    }

    [Fact]
    public async Task When_all_consumers_mutate_the_last_one_keeps_the_original()
    {
        var first = new FakeExporter("first", _journal, mutates: true);
        var last = new FakeExporter("last", _journal, mutates: true);
        var batch = Telemetry.PipelineTelemetryTests.Batch(1);

        await new FanOutConsumer([first, last]).ConsumeAsync(batch, CancellationToken.None);

        Assert.NotSame(batch, first.Received[0]);
        Assert.Same(batch, last.Received[0]);
        Assert.Single(first.Received[0].ProcessEvents);
    }

    [Fact]
    public async Task Every_consumer_is_called_even_when_one_fails()
    {
        var failing = new FakeExporter("failing", _journal, mutates: false) { FailWith = new InvalidOperationException("disk full") };
        var healthy = new FakeExporter("healthy", _journal, mutates: false);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            async () => await new FanOutConsumer([failing, healthy]).ConsumeAsync(Telemetry.PipelineTelemetryTests.Batch(1), CancellationToken.None));

        Assert.Equal("disk full", error.Message);
        Assert.Single(healthy.Received);
    }

    [Fact]
    public async Task Failure_is_retryable_only_when_every_failure_is()
    {
        var busy1 = new FakeExporter("busy1", _journal, mutates: false) { FailWith = new RetryableException("queue full") };
        var busy2 = new FakeExporter("busy2", _journal, mutates: false) { FailWith = new RetryableException("queue full") };
        var broken = new FakeExporter("broken", _journal, mutates: false) { FailWith = new InvalidOperationException("bad") };

        await Assert.ThrowsAsync<RetryableException>(
            async () => await new FanOutConsumer([busy1, busy2]).ConsumeAsync(Telemetry.PipelineTelemetryTests.Batch(1), CancellationToken.None));
        var mixed = await Assert.ThrowsAsync<AggregateException>(
            async () => await new FanOutConsumer([busy1, broken]).ConsumeAsync(Telemetry.PipelineTelemetryTests.Batch(1), CancellationToken.None));
        Assert.Equal(2, mixed.InnerExceptions.Count);
    }

    [Fact]
    public void A_fan_out_needs_a_consumer()
    {
        Assert.Throws<ArgumentException>(() => new FanOutConsumer(Array.Empty<IProfilesConsumer>()));
    }
}
