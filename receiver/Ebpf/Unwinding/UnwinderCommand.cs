namespace Collector.Receivers.Ebpf.Unwinding;

/// <summary>
/// What the poll thread hands the unwinder's worker: small values, nothing that waits. <c>Pid</c> is the kernel's
/// (the BPF maps' key), <c>LocalPid</c> the same process in the collector's /proc (they differ in a container).
/// </summary>
internal readonly record struct UnwinderCommand(UnwinderCommandKind Kind, int Pid, int OtherPid, ulong StartBoottimeNanos, ulong Ktime)
{
    public int LocalPid { get; init; } = Pid;
}

internal enum UnwinderCommandKind
{
    /// <summary>Read the process's maps (a sample of an unknown process, an address in no known mapping).</summary>
    Scan,

    /// <summary>A program started (Ktime): read its maps once the dynamic loader has had a moment to map its libraries.</summary>
    ExecScan,

    /// <summary>A new process shares its parent's (OtherPid) image until it execs.</summary>
    Fork,

    /// <summary>The process exited at Ktime; forget it once the watermark passes.</summary>
    Exit,

    /// <summary>Everything below Ktime has been delivered.</summary>
    Watermark,
}
