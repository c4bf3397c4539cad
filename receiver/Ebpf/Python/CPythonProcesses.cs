using System.Collections.Concurrent;
using Collector.Bpf;
using Collector.Core.Model;
using Collector.ProcMaps;
using Microsoft.Extensions.Logging;

namespace Collector.Receivers.Ebpf.Python;

/// <summary>
/// Which processes run CPython, kept in the kernel's <c>python_processes</c> map. The native unwinder's worker calls it
/// whenever it has read a process's maps (at exec, at the first sample of a process it did not know — which covers
/// processes running before the collector started — and on rescans after dlopen), at fork and when it forgets an
/// exited process, so a process is examined from the same single read of <c>/proc</c>.
/// <para>The poll thread asks <see cref="EvalLoop"/> where a process's evaluation loop is, to place its Python frames.</para>
/// </summary>
internal sealed class CPythonProcesses(PythonMaps maps, Func<int, IReadOnlyList<MapsEntry>, CPythonScanResult> detect, ILogger logger)
{
    private readonly ConcurrentDictionary<int, (ulong Start, CPythonTarget Target)> _marked = new();
    // Worker thread only: processes examined and found not to be CPython, with the mapping count seen then.
    private readonly Dictionary<int, (ulong Start, int Mappings)> _notPython = [];
    private long _detected;
    private long _notDetected;
    private long _failed;

    /// <summary>Processes the kernel walks.</summary>
    public int Count => _marked.Count;

    /// <summary>Processes found to run CPython (and marked in the kernel).</summary>
    public long Detected => Interlocked.Read(ref _detected);

    /// <summary>Processes examined that run no CPython.</summary>
    public long NotDetected => Interlocked.Read(ref _notDetected);

    /// <summary>CPython processes that could not be marked: unsupported version, unreadable file, layout check failed, map full.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Where process <paramref name="pid"/>'s evaluation loop is; empty when it is not marked (or is another process now).</summary>
    public CodeRange EvalLoop(int pid, ulong start) =>
        _marked.TryGetValue(pid, out var marked) && marked.Start == start ? marked.Target.EvalLoop : default;

    /// <summary>Whether process <paramref name="pid"/> (started at <paramref name="start"/>) is marked: the kernel walks its interpreter.</summary>
    public bool IsMarked(int pid, ulong start) => _marked.TryGetValue(pid, out var marked) && marked.Start == start;

    /// <summary>
    /// The process's executable mappings were (re)read: marks it when it runs CPython and is not marked yet. True when
    /// this call marked it (the unwinder then flags the process's kernel entry, PROFILER_PROCESS_PYTHON).
    /// </summary>
    /// <param name="pid">The kernel's pid, the map's key.</param>
    /// <param name="localPid">The same process in the collector's /proc and for process_vm_readv (they differ in a container).</param>
    public bool Scanned(int pid, int localPid, ulong start, IReadOnlyList<MapsEntry> executableMappings)
    {
        if (_marked.TryGetValue(pid, out var marked) && marked.Start == start)
        {
            return false;
        }
        // An embedding program may dlopen libpython later: a rescan that found more mappings looks again.
        var again = _notPython.TryGetValue(pid, out var seen) && seen.Start == start;
        if (again && seen.Mappings == executableMappings.Count)
        {
            return false;
        }
        CPythonScanResult detection;
        try
        {
            detection = detect(localPid, executableMappings);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or ArgumentException or FormatException or OverflowException)
        {
            // A file or process that changed under us; the unwinder's own work for this scan must still go on.
            detection = CPythonScanResult.Failure(error.Message);
        }
        switch (detection.Outcome)
        {
            case CPythonScanOutcome.NotPython:
                _notPython[pid] = (start, executableMappings.Count);
                if (!again)
                {
                    Interlocked.Increment(ref _notDetected); // once per process, however often it is rescanned
                }
                return false;
            case CPythonScanOutcome.Failed:
                _notPython[pid] = (start, executableMappings.Count);
                Interlocked.Increment(ref _failed);
                PythonLog.NotSupported(logger, pid, detection.Reason);
                return false;
        }
        return Mark(pid, start, detection.Target!);
    }

    /// <summary>A forked child runs the same interpreter at the same addresses as its parent.</summary>
    public void Forked(int parent, int child, ulong childStart)
    {
        if (_marked.TryGetValue(parent, out var marked))
        {
            Mark(child, childStart, marked.Target);
        }
    }

    /// <summary>The process exec'd (its image is new) or exited and the watermark passed: its entry goes (absent state is a no-op).</summary>
    public void Forget(int pid)
    {
        _notPython.Remove(pid);
        if (_marked.TryRemove(pid, out _))
        {
            maps.RemoveProcess(pid);
        }
    }

    private bool Mark(int pid, ulong start, CPythonTarget target)
    {
        _notPython.Remove(pid);
        if (_marked.Count >= PythonMaps.MaxProcesses || !maps.SetProcess(pid, start, target.Runtime, target.CodeType, target.Layout, out var error))
        {
            Interlocked.Increment(ref _failed);
            PythonLog.NotSupported(logger, pid, "the kernel's python_processes map refused the entry");
            return false;
        }
        _marked[pid] = (start, target);
        Interlocked.Increment(ref _detected);
        PythonLog.Detected(logger, pid, target.Version, target.Runtime);
        return true;
    }
}
