using System.Collections.Concurrent;
using Collector.Core.Components;
using Collector.Core.Model;

namespace Collector.Receivers.Tests.Support;

/// <summary>
/// Keeps every batch it accepts. <see cref="Behaviour"/> may refuse or hold a call, given the 1-based number
/// of the call (retries count as calls).
/// </summary>
internal sealed class CapturingConsumer : IProfilesConsumer
{
    private readonly ConcurrentQueue<ProfileBatch> _accepted = new();
    private int _calls;

    public Func<int, ProfileBatch, Task>? Behaviour { get; init; }

    public IReadOnlyList<ProfileBatch> Accepted => [.. _accepted];

    public int Calls => Volatile.Read(ref _calls);

    public int AcceptedSamples => Accepted.Sum(b => b.SampleCount);

    public bool MutatesData => false;

    public async ValueTask ConsumeAsync(ProfileBatch batch, CancellationToken cancellationToken)
    {
        var call = Interlocked.Increment(ref _calls);
        if (Behaviour is not null) await Behaviour(call, batch);
        _accepted.Enqueue(batch);
    }
}
