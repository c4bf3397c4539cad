using Collector.ProcMaps;

namespace Collector.Receivers.Ebpf.Unwinding;

/// <summary>What the unwinder holds for one process: its executable mappings and the tables they use.</summary>
internal sealed class TrackedProcess(ulong startBoottimeNanos, int localPid)
{
    public ulong StartBoottimeNanos { get; } = startBoottimeNanos;

    /// <summary>Its pid in the collector's /proc (the kernel's pid keys it; they differ in a container).</summary>
    public int LocalPid { get; } = localPid;

    /// <summary>Executable mappings, sorted by start, each with its file's table when it is a file.</summary>
    public List<(MapsEntry Entry, CachedTable? Table)> Mappings { get; set; } = [];

    /// <summary>When its maps were last read (TimeProvider timestamp); rescans are rate-limited from it.</summary>
    public long LastScan { get; set; }

    /// <summary>
    /// Read at exec, when the dynamic loader may not have mapped every library yet: the first address in no known
    /// mapping gets a rescan at once, without waiting for the rescan interval.
    /// </summary>
    public bool ScannedAtExec { get; set; }

    /// <summary>The exit's kernel time, once it exited: it is forgotten when the watermark passes it.</summary>
    public ulong? ExitKtime { get; set; }
}
