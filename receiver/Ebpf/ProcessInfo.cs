namespace Collector.Receivers.Ebpf;

/// <summary>What the target filters need to know about a process, as /proc shows it.</summary>
/// <param name="StartTicks">Start time in clock ticks since boot (field 22 of /proc/&lt;pid&gt;/stat).</param>
/// <param name="Comm">The process name.</param>
/// <param name="ExePath">The executable, or null when it cannot be read (kernel threads).</param>
/// <param name="CgroupPaths">The path of each cgroup hierarchy line of /proc/&lt;pid&gt;/cgroup.</param>
internal sealed record ProcessInfo(ulong StartTicks, string Comm, string? ExePath, IReadOnlyList<string> CgroupPaths);

/// <summary>Reads <see cref="ProcessInfo"/>; returns null when the process is gone.</summary>
internal interface IProcessInfoSource
{
    ProcessInfo? Read(int pid);
}
