namespace Collector.Processors.PidLifecycle;

/// <summary>
/// A process across pid reuse: its pid and its start time in clock ticks since boot (/proc's resolution;
/// samples' nanoseconds are truncated to it). Start 0 means the source could not tell.
/// </summary>
internal readonly record struct ProcessKey(int Pid, ulong StartTicks)
{
    public static ProcessKey FromBootTimeNanos(int pid, ulong startNanos) => new(pid, StatParser.ToTicks(startNanos));

    public override string ToString() => $"{Pid}@{StartTicks}";
}
