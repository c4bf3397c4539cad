using Collector.Core.Components;
using Collector.Core.Model;
using Collector.Receivers.Ebpf;
using Microsoft.Extensions.Logging.Abstractions;

namespace Collector.Receivers.Tests.Ebpf;

/// <summary>Delivery keeps batch order through refusals, retries refused batches unchanged, and bounds what waits.</summary>
public class BatchOutboxTests
{
    private readonly ScriptedConsumer _consumer = new();

    [Fact]
    public async Task A_refused_batch_is_offered_again_first_and_later_ones_wait_behind_it()
    {
        var outbox = new BatchOutbox(_consumer, capacity: 4, NullLogger.Instance);
        var first = Batch(1);
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
        var outbox = new BatchOutbox(_consumer, capacity: 2, NullLogger.Instance);
        _consumer.Refusals = int.MaxValue;
        outbox.Enqueue(Batch(3));
        outbox.Enqueue(Batch(0));
        outbox.Enqueue(Batch(0));
        await outbox.DeliverAsync(CancellationToken.None);

        Assert.Equal(3, outbox.SamplesDropped);
        Assert.Equal(2, outbox.Waiting);
    }

    [Fact]
    public async Task A_permanently_refused_batch_is_dropped_and_the_next_goes_on()
    {
        var outbox = new BatchOutbox(_consumer, capacity: 4, NullLogger.Instance);
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
        var outbox = new BatchOutbox(_consumer, capacity: 4, NullLogger.Instance);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        outbox.Enqueue(Batch(5));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => outbox.DeliverAsync(cancelled.Token));
        Assert.Equal(1, outbox.Waiting);

        outbox.DropAll("shutdown");
        Assert.Equal(5, outbox.SamplesDropped);
        Assert.Equal(0, outbox.Waiting);
    }

    private static ProfileBatch Batch(int samples) => new()
    {
        Raw = new RawSampleSet { Samples = [.. Enumerable.Repeat(new RawSample(1, 1, 0, 1, "x", default, default), samples)] },
    };

    private sealed class ScriptedConsumer : IProfilesConsumer
    {
        public int Refusals { get; set; }

        public int Failures { get; set; }

        public List<ProfileBatch> Accepted { get; } = [];

        public bool MutatesData => false;

        public ValueTask ConsumeAsync(ProfileBatch batch, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
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
