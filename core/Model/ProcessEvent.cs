namespace Collector.Core.Model;

public enum ProcessEventKind
{
    /// <summary>A process replaced its image (execve); <see cref="ProcessEvent.Pid"/> now runs a new executable.</summary>
    Exec,

    /// <summary>A new process (thread group) was created by <see cref="ProcessEvent.ParentPid"/>.</summary>
    Fork,

    /// <summary>The whole thread group exited; its samples may still be in flight until the watermark passes.</summary>
    Exit,
}

/// <summary>
/// A process lifecycle event observed by the kernel, carried in band with the samples it concerns and
/// ordered by <see cref="KtimeNanos"/> (kernel monotonic clock, same clock as <see cref="RawSample.KtimeNanos"/>).
/// </summary>
public readonly record struct ProcessEvent(ProcessEventKind Kind, int Pid, int ParentPid, ulong KtimeNanos, string Comm)
{
    /// <summary>
    /// When the process the event concerns started, CLOCK_BOOTTIME nanoseconds, as in
    /// <see cref="RawSample.ProcessStartNanos"/>; exec keeps the start of the process that called it. 0 when unknown.
    /// </summary>
    public ulong ProcessStartNanos { get; init; }

    /// <summary>Exec only: the path given to execve (relative paths as given); empty for other kinds.</summary>
    public string Filename { get; init; } = "";
}
