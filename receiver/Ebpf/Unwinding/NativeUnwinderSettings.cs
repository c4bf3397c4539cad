namespace Collector.Receivers.Ebpf.Unwinding;

/// <summary>Limits of the unwinder's user-space half; the defaults serve production, tests shorten the times.</summary>
internal sealed class NativeUnwinderSettings
{
    public string ProcRoot { get; init; } = "/proc";

    /// <summary>Kernel memory for tables; over it the least recently used are unloaded (their code falls back to frame pointers).</summary>
    public long TableBudgetBytes { get; init; } = 128L << 20;

    /// <summary>How long a table nobody maps stays loaded, for the next short-lived process of the same executable.</summary>
    public TimeSpan TableLinger { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Shortest time between two reads of one process's maps triggered by its samples.</summary>
    public TimeSpan RescanInterval { get; init; } = TimeSpan.FromSeconds(1);
}
