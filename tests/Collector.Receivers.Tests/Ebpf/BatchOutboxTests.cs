using Collector.Core.Components;
using Collector.Core.Model;
using Collector.Receivers.Ebpf;
using Microsoft.Extensions.Logging;

namespace Collector.Receivers.Tests.Ebpf;

/// <summary>
/// Delivery keeps batch order through refusals; refused samples are dropped at once (counted, the log rate-limited)
/// while refused control data is offered again unchanged; what waits is bounded.
/// </summary>
public class BatchOutboxTests
{
    private readonly ScriptedConsumer _consumer = new();
    private readonly ManualTimeProvider _time = new();
    private readonly CapturingLoggerFactory _logs = new();

    [Fact]
    public async Task Refused_samples_are_dropped_at_once_and_the_process_events_and_watermark_go_on_in_order()
    {
        var outbox = Outbox(capacity: 4);
        var first = Batch(3, withExit: true);
        var second = Batch(2);
        _consumer.Refusals = 1; // a memory limiter refuses samples; control data it lets through

        outbox.Enqueue(first);
        outbox.Enqueue(second);
        await outbox.DeliverAsync(CancellationToken.None);

        var control = _consumer.Accepted[0];
        Assert.Equal(0, control.SampleCount);
        Assert.Equal(first.ProcessEvents, control.ProcessEvents);
        Assert.Equal(first.WatermarkKtimeNanos, control.WatermarkKtimeNanos);
        Assert.Equal(3, first.SampleCount); // the refused batch itself is untouched: another consumer may hold it
        Assert.Same(second, _consumer.Accepted[1]);
        Assert.Equal(3, outbox.SamplesDropped);
        Assert.Equal(0, outbox.Waiting);
    }

    [Fact]
    public async Task A_refused_batch_of_samples_only_leaves_nothing_behind_and_the_next_goes_on()
    {
        var outbox = Outbox(capacity: 4);
        var second = Batch(1);
        _consumer.Refusals = 1;
        outbox.Enqueue(Batch(5, withExit: false, watermark: null));
        outbox.Enqueue(second);

        await outbox.DeliverAsync(CancellationToken.None);

        Assert.Equal([second], _consumer.Accepted);
        Assert.Equal(5, outbox.SamplesDropped);
    }

    [Fact]
    public async Task Drops_are_logged_at_most_once_per_interval_with_the_count_since_the_last_line()
    {
        var outbox = Outbox(capacity: 4);
        _consumer.RefuseSamples = true;
        for (var tick = 0; tick <= 20; tick++)
        {
            outbox.Enqueue(Batch(10));
            await outbox.DeliverAsync(CancellationToken.None);
            _time.Advance(TimeSpan.FromMilliseconds(500));
        }

        // 21 ticks 500 ms apart: a line at 0 s (10 samples) and one at 10 s (the 200 dropped since).
        var lines = _logs.At(LogLevel.Warning).Where(m => m.Contains("dropped", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, lines.Count);
        Assert.Contains("dropped 10 samples", lines[0], StringComparison.Ordinal);
        Assert.Contains("dropped 200 samples", lines[1], StringComparison.Ordinal);
        Assert.Equal(210, outbox.SamplesDropped);
        Assert.Equal(21, _consumer.Accepted.Count); // every tick's watermark went on
    }

    [Fact]
    public async Task Refused_control_data_is_offered_again_first_and_later_batches_wait_behind_it()
    {
        var outbox = Outbox(capacity: 4);
        var first = Batch(0, withExit: true);
        var second = Batch(2);
        _consumer.Refusals = 1;

        outbox.Enqueue(first);
        await outbox.DeliverAsync(CancellationToken.None);
        outbox.Enqueue(second);
        Assert.Empty(_consumer.Accepted);
        Assert.Equal(2, outbox.Waiting);

        await outbox.DeliverAsync(CancellationToken.None);
        Assert.Equal([first, second], _consumer.Accepted);
        Assert.Equal(2, outbox.BatchesSent);
        Assert.Equal(0, outbox.SamplesDropped);
    }

    [Fact]
    public async Task Past_capacity_the_oldest_waiting_batch_is_dropped_and_counted()
    {
        var outbox = Outbox(capacity: 2);
        _consumer.Refusals = int.MaxValue;
        outbox.Enqueue(Batch(0));
        outbox.Enqueue(Batch(0));
        outbox.Enqueue(Batch(0));
        await outbox.DeliverAsync(CancellationToken.None);

        Assert.Equal(2, outbox.Waiting);
        Assert.Contains(_logs.At(LogLevel.Error), m => m.Contains("Dropped a batch of 0 samples and 1 process events", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_permanently_refused_batch_is_dropped_and_the_next_goes_on()
    {
        var outbox = Outbox(capacity: 4);
        _consumer.Failures = 1;
        var second = Batch(1);
        outbox.Enqueue(Batch(2));
        outbox.Enqueue(second);
        await outbox.DeliverAsync(CancellationToken.None);

        Assert.Equal([second], _consumer.Accepted);
        Assert.Equal(2, outbox.SamplesDropped);
    }

    [Fact]
    public async Task Cancellation_leaves_the_batch_waiting_and_drop_all_counts_it()
    {
        var outbox = Outbox(capacity: 4);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        outbox.Enqueue(Batch(5));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => outbox.DeliverAsync(cancelled.Token));
        Assert.Equal(1, outbox.Waiting);

        outbox.DropAll("shutdown");
        Assert.Equal(5, outbox.SamplesDropped);
        Assert.Equal(0, outbox.Waiting);
    }

    private BatchOutbox Outbox(int capacity) => new(_consumer, capacity, _logs.CreateLogger("ebpf_profiling"), _time);

    private static ProfileBatch Batch(int samples, bool withExit = true, ulong? watermark = 1) => new()
    {
        Raw = samples == 0 ? null : new RawSampleSet { Samples = [.. Enumerable.Repeat(new RawSample(1, 1, 0, 1, "x", default, default), samples)] },
        ProcessEvents = withExit ? [new ProcessEvent(ProcessEventKind.Exit, 7, 1, 1, "gone")] : [],
        WatermarkKtimeNanos = watermark,
    };

    private sealed class ScriptedConsumer : IProfilesConsumer
    {
        public int Refusals { get; set; }

        public int Failures { get; set; }

        /// <summary>As a memory limiter above its soft limit: every batch with samples is refused, control data passes.</summary>
        public bool RefuseSamples { get; set; }

        public List<ProfileBatch> Accepted { get; } = [];

        public bool MutatesData => false;

        public ValueTask ConsumeAsync(ProfileBatch batch, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (RefuseSamples && !batch.HasNoSamples) throw new RetryableException("data refused due to high memory usage");
            if (Refusals > 0)
            {
                Refusals--;
                throw new RetryableException("queue full");
            }
            if (Failures > 0)
            {
                Failures--;
                throw new InvalidOperationException("cannot encode");
            }
            Accepted.Add(batch);
            return ValueTask.CompletedTask;
        }
    }
}
