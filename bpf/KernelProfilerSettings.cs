namespace Collector.Bpf;

/// <summary>What the kernel side of the profiler is told at start.</summary>
public sealed class KernelProfilerSettings
{
    /// <summary>Sampling frequency of each CPU's clock event.</summary>
    public required int SamplesPerSecond { get; init; }

    public bool KernelStacks { get; init; } = true;

    /// <summary>A process never sampled nor reported (the collector itself), or 0.</summary>
    public int ExcludedPid { get; init; }

    /// <summary>When not empty, only these processes are sampled and reported.</summary>
    public IReadOnlyCollection<int> TargetPids { get; init; } = [];
}
