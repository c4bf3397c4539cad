using System.Text;
using System.Text.RegularExpressions;

namespace Collector.Receivers.Ebpf;

/// <summary>
/// The target filters the kernel cannot apply: process names (comm or executable), cgroup prefix, container id.
/// A decision is cached per process, identified by pid and start time so a reused pid is decided afresh; exec
/// and exit events drop the entry. A process that is gone before it could be looked up is counted and judged
/// by what its record carries (name, exec path), which can satisfy a name filter but never a cgroup one.
/// </summary>
internal sealed class ProcessFilter
{
    /// <summary>CLOCK_BOOTTIME nanoseconds per /proc clock tick (USER_HZ is 100).</summary>
    private const ulong NanosPerTick = 10_000_000;

    /// <summary>Past this many cached decisions the cache starts over, which only costs /proc reads.</summary>
    private const int MaxCached = 65_536;

    private readonly Regex[] _names;
    private readonly string _cgroup;
    private readonly string _containerId;
    private readonly IProcessInfoSource _source;
    private readonly Dictionary<int, (ulong StartNanos, bool Matches)> _decisions = [];
    private long _filteredOut;
    private long _vanished;

    public ProcessFilter(EbpfProfilingOptions options, IProcessInfoSource source)
    {
        ArgumentNullException.ThrowIfNull(options);
        _names = options.CompileProcessNames();
        _cgroup = options.Cgroup;
        _containerId = options.ContainerId;
        _source = source;
    }

    /// <summary>Distinct processes (pid and start time) that did not match.</summary>
    public long ProcessesFilteredOut => Interlocked.Read(ref _filteredOut);

    /// <summary>Processes gone from /proc (or replaced by another with the same pid) before they could be looked up.</summary>
    public long ProcessesVanished => Interlocked.Read(ref _vanished);

    /// <summary>Whether the process matches. <paramref name="comm"/> and <paramref name="exe"/> come from the record.</summary>
    public bool Matches(int pid, ulong startNanos, ReadOnlySpan<byte> comm, ReadOnlySpan<byte> exe)
    {
        if (_decisions.TryGetValue(pid, out var cached) && cached.StartNanos == startNanos)
        {
            return cached.Matches;
        }
        var matches = Decide(pid, startNanos, comm, exe);
        if (_decisions.Count >= MaxCached)
        {
            _decisions.Clear();
        }
        _decisions[pid] = (startNanos, matches);
        if (!matches)
        {
            Interlocked.Increment(ref _filteredOut);
        }
        return matches;
    }

    /// <summary>Drops what is known about <paramref name="pid"/>: after an exec its name changed, after an exit it is gone.</summary>
    public void Forget(int pid) => _decisions.Remove(pid);

    private bool Decide(int pid, ulong startNanos, ReadOnlySpan<byte> comm, ReadOnlySpan<byte> exe)
    {
        var info = _source.Read(pid);
        if (info is null || info.StartTicks != startNanos / NanosPerTick)
        {
            Interlocked.Increment(ref _vanished);
            return _cgroup.Length == 0 && _containerId.Length == 0 && NameMatches(Encoding.UTF8.GetString(comm), exe.IsEmpty ? null : Encoding.UTF8.GetString(exe));
        }
        return NameMatches(info.Comm, info.ExePath)
            && (_cgroup.Length == 0 || info.CgroupPaths.Any(InCgroup))
            && (_containerId.Length == 0 || info.CgroupPaths.Any(path => ContainerIds.Matches(path, _containerId)));
    }

    private bool NameMatches(string comm, string? exe)
    {
        try
        {
            return _names.Length == 0 || _names.Any(name => name.IsMatch(comm) || (exe is not null && name.IsMatch(exe)));
        }
        catch (RegexMatchTimeoutException)
        {
            // A pattern that backtracks for 100ms on a path is treated as not matching rather than stalling the poll.
            return false;
        }
    }

    /// <summary>The cgroup itself or one below it: "/a/b" is in "/a" but "/ab" is not.</summary>
    private bool InCgroup(string path) =>
        path.StartsWith(_cgroup, StringComparison.Ordinal)
        && (path.Length == _cgroup.Length || _cgroup.EndsWith('/') || path[_cgroup.Length] == '/');
}
