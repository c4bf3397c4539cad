using Collector.Core.Components;
using Collector.Core.Model;

namespace Collector.TestKit;

/// <summary>
/// The next consumer of a component under test: keeps every batch it accepts, with the time it arrived.
/// <see cref="Behaviour"/> may hold or refuse a call before the batch is kept; <see cref="OnBatch"/> runs after,
/// while the consumer still has the call (what a slow exporter would see).
/// </summary>
/// <param name="arrivalClock">Stamps each arrival; the monotonic clock in nanoseconds unless a test passes its own
/// (the eBPF tests pass the kernel's, to compare arrivals with sample times).</param>
public sealed class CapturingConsumer(Func<ulong>? arrivalClock = null) : IProfilesConsumer
{
    private readonly Func<ulong> _clock = arrivalClock ?? MonotonicNanos;
    private readonly Lock _gate = new();
    private readonly List<(ProfileBatch Batch, ulong ArrivedAt)> _arrivals = [];
    private int _calls;

    /// <summary>Runs first, given the 1-based number of the call (retries count as calls): awaiting holds the call, throwing refuses the batch.</summary>
    public Func<int, ProfileBatch, Task>? Behaviour { get; init; }

    /// <summary>Runs after the batch is kept, before the call returns.</summary>
    public Func<ProfileBatch, ValueTask>? OnBatch { get; set; }

    public bool MutatesData => false;

    /// <summary>Calls so far, refused ones included.</summary>
    public int Calls => Volatile.Read(ref _calls);

    /// <summary>Every accepted batch, in arrival order.</summary>
    public IReadOnlyList<ProfileBatch> Batches => [.. Arrivals.Select(a => a.Batch)];

    /// <summary>Every accepted batch with the time it arrived, by the arrival clock.</summary>
    public IReadOnlyList<(ProfileBatch Batch, ulong ArrivedAt)> Arrivals
    {
        get
        {
            lock (_gate) return [.. _arrivals];
        }
    }

    public int AcceptedSamples => Batches.Sum(b => b.SampleCount);

    /// <summary>Raw kernel samples of every accepted batch (what the eBPF receiver sends).</summary>
    public IEnumerable<RawSample> RawSamples => Batches.SelectMany(b => b.Raw?.Samples ?? []);

    public IEnumerable<ProcessEvent> Events => Batches.SelectMany(b => b.ProcessEvents);

    public async ValueTask ConsumeAsync(ProfileBatch batch, CancellationToken cancellationToken)
    {
        var call = Interlocked.Increment(ref _calls);
        if (Behaviour is not null) await Behaviour(call, batch);
        var arrived = _clock();
        lock (_gate) _arrivals.Add((batch, arrived));
        if (OnBatch is { } onBatch) await onBatch(batch);
    }

    private static ulong MonotonicNanos() =>
        (ulong)(System.Diagnostics.Stopwatch.GetTimestamp() * (1_000_000_000.0 / System.Diagnostics.Stopwatch.Frequency));
}
