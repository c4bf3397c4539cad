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
    ReadOnlyMemory<ulong> UserFrames)
{
    /// <summary>
    /// When the process started, CLOCK_BOOTTIME nanoseconds (the kernel's <c>start_boottime</c>; field 22 of
    /// <c>/proc/&lt;pid&gt;/stat</c> is the same instant in clock ticks). With <see cref="Pid"/> it names the
    /// process across pid reuse. 0 when the source could not tell.
    /// </summary>
    public ulong ProcessStartNanos { get; init; }

    /// <summary>
    /// For each of <see cref="UserFrames"/> (same index), the file and offset the kernel found it in, when it
    /// could tell; empty when the source did not collect them. This is what names frames of processes that
    /// exited before anyone could read their memory maps.
    /// </summary>
    public ReadOnlyMemory<UserFrameOrigin> UserFrameOrigins { get; init; }

    /// <summary>
    /// The sampled thread's Python frames, leaf first, when the process runs CPython and the kernel could read them;
    /// they take the place of the user frames inside <see cref="CPythonEvalLoop"/> (see <see cref="CPythonPlacement"/>).
    /// </summary>
    public ReadOnlyMemory<CPythonFrame> CPythonFrames { get; init; }

    /// <summary>Where the process's <c>_PyEval_EvalFrameDefault</c> lies; empty when <see cref="CPythonFrames"/> is.</summary>
    public CodeRange CPythonEvalLoop { get; init; }
}
