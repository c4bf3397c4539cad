namespace Collector.Bpf;

/// <summary>What the kernel side of the profiler is told at start.</summary>
public sealed class KernelProfilerSettings
{
    /// <summary>Sampling frequency of each CPU's clock event.</summary>
    public required int SamplesPerSecond { get; init; }

    public bool KernelStacks { get; init; } = true;

    /// <summary>
    /// Also report, for each user frame, the build id and offset of the file it lies in: what names frames of
    /// processes gone before their memory maps could be read. Costs a second user stack walk per sample.
    /// </summary>
    public bool UserBuildIds { get; init; } = true;

    /// <summary>
    /// Walk user stacks with the BPF unwinder (tables from .eh_frame, frame pointers where there are none) when the
    /// kernel can; otherwise, or when false, the kernel's frame-pointer walk.
    /// </summary>
    public bool NativeUnwinding { get; init; }

    /// <summary>A process never sampled nor reported (the collector itself), or 0.</summary>
    public int ExcludedPid { get; init; }

    /// <summary>When not empty, only these processes are sampled and reported.</summary>
    public IReadOnlyCollection<int> TargetPids { get; init; } = [];
}
