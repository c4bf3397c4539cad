namespace Collector.Bpf;

/// <summary>What the kernel side counted, summed over CPUs since the programs were loaded.</summary>
/// <param name="SamplesLost">Samples taken that found no room in the ring buffer.</param>
/// <param name="EventsLost">Process events that found no room in the ring buffer.</param>
public readonly record struct KernelCounters(long SamplesLost, long EventsLost)
{
    public long RecordsLost => SamplesLost + EventsLost;
}
