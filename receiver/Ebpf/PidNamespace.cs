using System.Globalization;
using System.Text;

namespace Collector.Receivers.Ebpf;

/// <summary>
/// Turns the kernel's pids into the pids of the collector's own pid namespace, the ones its <c>/proc</c> shows and
/// the user's tools (<c>ps</c>, <c>top</c>) show beside it. BPF reports pids of the initial namespace
/// (<c>bpf_get_current_pid_tgid</c>); a collector in a container (a sidecar sharing the pod's process namespace)
/// sees the pod's pids instead, and no kernel interface maps one onto the other from inside the child namespace.
/// <para>Outside the initial namespace a kernel pid is matched by what both sides know of the process: its start
/// time (the record's nanoseconds, /proc's clock ticks) and, where several processes started in the same tick, the
/// name of the sampled thread. A process with no match lives outside the collector's namespace (the node's other
/// processes, which BPF samples too) and is left out. In the initial namespace every pid is its own.</para>
/// Used by the poll thread only.
/// </summary>
internal sealed class PidNamespace
{
    /// <summary>The inode of the initial pid namespace (PROC_PID_INIT_INO), fixed since Linux 3.8.</summary>
    internal const string InitialNamespaceLink = "pid:[4026531836]";

    /// <summary>USER_HZ: /proc/&lt;pid&gt;/stat counts the start time in these.</summary>
    private const ulong NanosPerTick = 10_000_000;

    /// <summary>Past this many remembered kernel processes the memory starts over, which only costs /proc reads.</summary>
    private const int MaxRemembered = 65_536;

    private readonly string _procRoot;
    private readonly Func<ulong> _bootNanos;
    private readonly Dictionary<int, (ulong StartNanos, int Local)> _known = [];
    private readonly Dictionary<int, ulong> _claimedStart = []; // local pid → start (ns) of the kernel process matched to it
    private Dictionary<ulong, List<int>> _byStartTick = [];
    private ulong _indexedUpTo;
    private long _outside;
    private long _ambiguous;
    private long _scans;

    private PidNamespace(string procRoot, bool isInitial, Func<ulong> bootNanos)
    {
        _procRoot = procRoot;
        IsInitial = isInitial;
        _bootNanos = bootNanos;
    }

    /// <summary>The collector's own namespace, judged by <c>/proc/self/ns/pid</c>.</summary>
    public static PidNamespace OfThisProcess(string procRoot = "/proc")
    {
        string? link;
        try
        {
            link = new FileInfo(Path.Combine(procRoot, "self", "ns", "pid")).LinkTarget;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            link = null; // a kernel without pid namespaces: there is only the initial one
        }
        return new PidNamespace(procRoot, link is null || link == InitialNamespaceLink, KernelBootNanos);
    }

    /// <summary>A namespace other than the initial one whose /proc is at <paramref name="procRoot"/> (tests).</summary>
    internal static PidNamespace Nested(string procRoot, Func<ulong> bootNanos) => new(procRoot, false, bootNanos);

    /// <summary>True in the host's namespace, where kernel pids need no translation.</summary>
    public bool IsInitial { get; }

    /// <summary>Distinct kernel processes matched to none of this namespace's (they run outside it).</summary>
    public long ProcessesOutside => Interlocked.Read(ref _outside);

    /// <summary>Lookups left unresolved because several processes of this namespace could be the one.</summary>
    public long Ambiguous => Interlocked.Read(ref _ambiguous);

    /// <summary>Reads of this namespace's /proc listing.</summary>
    public long Scans => Interlocked.Read(ref _scans);

    /// <summary>
    /// The pid in this namespace of the kernel's process <paramref name="kernelPid"/> started at
    /// <paramref name="startNanos"/> (CLOCK_BOOTTIME), or null when it is not in this namespace (or could not be told
    /// apart). <paramref name="threadComm"/> is the sampled thread's name, used only to break ties.
    /// </summary>
    public int? ToLocal(int kernelPid, ulong startNanos, ReadOnlySpan<byte> threadComm)
    {
        if (IsInitial)
        {
            return kernelPid;
        }
        if (_known.TryGetValue(kernelPid, out var known) && known.StartNanos == startNanos)
        {
            return known.Local == 0 ? null : known.Local;
        }
        if (startNanos >= _indexedUpTo)
        {
            // Started after the last listing (or in its last tick): list again, or it would look foreign.
            Index();
        }
        var local = Match(startNanos, threadComm);
        if (local == -1)
        {
            Interlocked.Increment(ref _ambiguous);
            return null; // not remembered: a later sample may find the others claimed
        }
        Remember(kernelPid, startNanos, local);
        return local == 0 ? null : local;
    }

    /// <summary>The local pid already matched to <paramref name="kernelPid"/>, for a fork's parent (whose start the record lacks); 0 when unknown or outside, as getppid() gives for a parent outside the namespace.</summary>
    public int KnownLocal(int kernelPid) =>
        IsInitial ? kernelPid : _known.TryGetValue(kernelPid, out var known) ? known.Local : 0;

    /// <summary>Local pid, 0 for none (outside), -1 for several candidates.</summary>
    private int Match(ulong startNanos, ReadOnlySpan<byte> threadComm)
    {
        if (!_byStartTick.TryGetValue(startNanos / NanosPerTick, out var candidates))
        {
            return 0;
        }
        // A local pid matched to another kernel process of the same tick is taken; a claim from another tick is stale
        // (the local pid was reused since).
        var tick = startNanos / NanosPerTick;
        var unclaimed = candidates.FindAll(pid =>
            !_claimedStart.TryGetValue(pid, out var claimed) || claimed == startNanos || claimed / NanosPerTick != tick);
        if (unclaimed.Count == 1)
        {
            return unclaimed[0];
        }
        if (unclaimed.Count == 0)
        {
            return 0;
        }
        var comm = Encoding.UTF8.GetString(threadComm);
        var named = unclaimed.FindAll(pid => ThreadNames(pid).Contains(comm));
        return named.Count == 1 ? named[0] : -1;
    }

    private void Remember(int kernelPid, ulong startNanos, int local)
    {
        if (_known.Count >= MaxRemembered)
        {
            _known.Clear();
            _claimedStart.Clear();
        }
        if (_known.TryGetValue(kernelPid, out var previous) && previous.Local != 0)
        {
            _claimedStart.Remove(previous.Local); // the kernel pid was reused: its old match is free again
        }
        _known[kernelPid] = (startNanos, local);
        if (local != 0)
        {
            _claimedStart[local] = startNanos;
        }
        else
        {
            Interlocked.Increment(ref _outside);
        }
    }

    /// <summary>Lists this namespace's processes by start tick; everything started before the listing began is in it.</summary>
    private void Index()
    {
        Interlocked.Increment(ref _scans);
        var listedFrom = _bootNanos();
        var index = new Dictionary<ulong, List<int>>();
        foreach (var directory in SafeEnumerate(_procRoot))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                || ReadStartTicks(directory) is not { } ticks)
            {
                continue;
            }
            if (!index.TryGetValue(ticks, out var list))
            {
                index[ticks] = list = [];
            }
            list.Add(pid);
        }
        _byStartTick = index;
        // A process started during the listing's tick may have been missed: the next lookup in that tick lists again.
        _indexedUpTo = listedFrom / NanosPerTick * NanosPerTick;
    }

    private HashSet<string> ThreadNames(int pid)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var task in SafeEnumerate(Path.Combine(_procRoot, pid.ToString(CultureInfo.InvariantCulture), "task")))
        {
            try
            {
                names.Add(File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n'));
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                // The thread exited meanwhile.
            }
        }
        return names;
    }

    private static ulong? ReadStartTicks(string directory)
    {
        try
        {
            return ProcFs.ParseStartTicks(File.ReadAllText(Path.Combine(directory, "stat")));
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or FormatException)
        {
            return null; // gone
        }
    }

    private static string[] SafeEnumerate(string directory)
    {
        try
        {
            return Directory.GetDirectories(directory);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private static ulong KernelBootNanos() => Collector.Bpf.KernelClock.BoottimeNanos();
}
