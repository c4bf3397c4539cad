namespace Collector.Bpf;

/// <summary>What the kernel's CPython frame walk did, summed over CPUs since the programs were loaded.</summary>
/// <param name="Walks">Samples of a marked CPython process whose interpreter state the walk started reading.</param>
/// <param name="NoThreadState"><c>_PyRuntime</c>, the interpreter or a thread state could not be read.</param>
/// <param name="NoThreadMatch">No thread state belonged to the sampled thread (it never ran Python).</param>
/// <param name="FrameUnreadable">A frame of the chain could not be read.</param>
/// <param name="BadCode">A frame's code object was not one (wrong layout or a torn read).</param>
/// <param name="ChainTooLong">More frames than the walk's bound.</param>
/// <param name="TooManyThreads">More thread states than the walk's bound before the sampled thread's.</param>
public readonly record struct PythonWalkCounters(
    long Walks,
    long NoThreadState,
    long NoThreadMatch,
    long FrameUnreadable,
    long BadCode,
    long ChainTooLong,
    long TooManyThreads)
{
    /// <summary>Walks that gave the sample no Python frames, for any reason.</summary>
    public long Failures => NoThreadState + NoThreadMatch + FrameUnreadable + BadCode + ChainTooLong + TooManyThreads;
}
