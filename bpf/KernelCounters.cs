namespace Collector.Bpf;

/// <summary>What the kernel side counted, summed over CPUs since the programs were loaded.</summary>
/// <param name="SamplesLost">Samples taken that found no room in the ring buffer.</param>
/// <param name="EventsLost">Process events that found no room in the ring buffer.</param>
public readonly record struct KernelCounters(long SamplesLost, long EventsLost)
{
    public long RecordsLost => SamplesLost + EventsLost;

    /// <summary>The CPython frame walk's outcomes (all zero unless processes were marked in <see cref="PythonMaps"/>).</summary>
    public PythonWalkCounters Python { get; init; }
}
