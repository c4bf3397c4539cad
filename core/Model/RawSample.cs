namespace Collector.Core.Model;

/// <summary>
/// A CPU sample straight from the kernel, before any processor has looked at it: who was running, when
/// (kernel monotonic time), and the raw return addresses of the kernel and user stacks, leaf first.
/// Frame arrays are slices of a buffer owned by the batch, so receivers need not allocate per sample.
/// </summary>
public readonly record struct RawSample(
    int Pid,
    int Tid,
    int Cpu,
    ulong KtimeNanos,
    string Comm,
    ReadOnlyMemory<ulong> KernelFrames,
    ReadOnlyMemory<ulong> UserFrames);

/// <summary>Raw samples of one report interval, with what is needed to place them in wall-clock time.</summary>
public sealed class RawSampleSet
{
    /// <summary>Unix time in nanoseconds at kernel monotonic time zero: timestamp = this + ktime.</summary>
    public ulong BootTimeUnixNano { get; init; }

    /// <summary>Nanoseconds of CPU time one sample stands for (1e9 / samples per second).</summary>
    public long PeriodNanos { get; init; }

    public List<RawSample> Samples { get; init; } = [];

    public ulong ToUnixNano(ulong ktimeNanos) => BootTimeUnixNano + ktimeNanos;
}
