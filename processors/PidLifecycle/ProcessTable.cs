using Collector.Core.Diagnostics;
using Collector.Core.Model;
using Microsoft.Extensions.Logging;

namespace Collector.Processors.PidLifecycle;

/// <summary>
/// Every process the processor knows, keyed by (pid, start time), and the state machine that moves them
/// (see <see cref="ProcessState"/>). Learning reads /proc once per process (at exec, fork from a known
/// parent, or first sample) and only trusts it when its start time is the sample's; exits are only recorded,
/// and a process is forgotten when the watermark passes its exit. Exits of processes without state are
/// counted no-ops. Bounded by <c>max_processes</c>: exited processes are evicted first (earliest exit), then
/// the least recently sampled.
/// <para>Not thread-safe: the processor calls it under its lock.</para>
/// </summary>
internal sealed class ProcessTable : IDisposable
{
    /// <summary>Exits seen for processes with no state, remembered until the watermark passes them (bounded).</summary>
    private const int MaxRememberedExits = 65_536;

    /// <summary>How often live processes are checked against /proc, for exits the ring buffer lost.</summary>
    private static readonly TimeSpan LostExitSweepInterval = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Shortest time between two scans of every process's maps for a build id nobody known maps: a scan costs a
    /// few milliseconds on a busy host, and a build id no live process maps would otherwise ask for one per batch.
    /// </summary>
    internal static readonly TimeSpan BuildIdScanInterval = TimeSpan.FromSeconds(10);

    private readonly Dictionary<ProcessKey, TrackedProcess> _processes = [];
    private readonly Dictionary<int, ProcessKey> _latestByPid = [];
    private readonly Dictionary<ProcessKey, ulong> _exitsWithoutState = [];
    private readonly ProcReader _proc;
    private readonly int _maxProcesses;
    private readonly long _rescanIntervalTicks;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly LogThrottle _evictionLog;
    private readonly long _sweepIntervalTicks;
    private long _nextSweep;
    private long? _lastBuildIdScan;

    public ProcessTable(ProcReader proc, FileTable files, PidLifecycleStatistics statistics, int maxProcesses, TimeSpan rescanInterval,
        TimeProvider time, ILogger logger)
    {
        _proc = proc;
        Files = files;
        Statistics = statistics;
        _maxProcesses = maxProcesses;
        _time = time;
        _rescanIntervalTicks = (long)(rescanInterval.TotalSeconds * time.TimestampFrequency);
        _logger = logger;
        _evictionLog = new LogThrottle(time, TimeSpan.FromSeconds(10));
        _sweepIntervalTicks = (long)(LostExitSweepInterval.TotalSeconds * time.TimestampFrequency);
        _nextSweep = time.GetTimestamp() + _sweepIntervalTicks;
    }

    public FileTable Files { get; }

    /// <summary>
    /// A frame known only by a kernel build id that no file seen so far has: under churn, the libraries of a
    /// process that exited before its maps could be read. Those are nearly always mapped by a process still
    /// running (its parent, a sibling, the collector itself), so the maps of every live process are read and their
    /// files' build ids indexed; at most once per <see cref="BuildIdScanInterval"/>.
    /// </summary>
    /// <returns>Whether it scanned now (so a look-up may find what it did not before).</returns>
    public bool ScanForUnknownBuildIds()
    {
        var now = _time.GetTimestamp();
        if (_lastBuildIdScan is { } last && _time.GetElapsedTime(last, now) < BuildIdScanInterval) return false;
        _lastBuildIdScan = now;
        Statistics.BuildIdScans++;
        foreach (var pid in _proc.ListPids())
        {
            if (_proc.ReadMaps(pid, expectedStartTicks: null, out _) is { } maps) Files.Learn(pid, maps);
        }
        return true;
    }

    public PidLifecycleStatistics Statistics { get; }

    public int Count => _processes.Count;

    public int CountIn(ProcessState state) => _processes.Values.Count(process => process.State == state);

    public TrackedProcess? Find(ProcessKey key) => _processes.GetValueOrDefault(key);

    public void Handle(in ProcessEvent processEvent)
    {
        var key = ProcessKey.FromBootTimeNanos(processEvent.Pid, processEvent.ProcessStartNanos);
        switch (processEvent.Kind)
        {
            case ProcessEventKind.Fork: OnFork(key, processEvent); break;
            case ProcessEventKind.Exec: OnExec(key, processEvent); break;
            case ProcessEventKind.Exit: OnExit(key, processEvent.KtimeNanos); break;
        }
    }

    /// <summary>
    /// The process a sample belongs to, learned from /proc on first sight; null when /proc does not show that
    /// very process (gone, or the pid already reused). <paramref name="unreadable"/> remembers such keys for
    /// the rest of the batch so /proc is asked once.
    /// </summary>
    public TrackedProcess? ForSample(in RawSample sample, HashSet<ProcessKey> unreadable)
    {
        var key = ProcessKey.FromBootTimeNanos(sample.Pid, sample.ProcessStartNanos);
        if (!_processes.TryGetValue(key, out var process))
        {
            if (unreadable.Contains(key)) return null;
            process = Learn(key, since: 0, execFilename: null);
            if (process is null)
            {
                unreadable.Add(key);
                return null;
            }
        }
        process.LastSampledKtime = Math.Max(process.LastSampledKtime, sample.KtimeNanos);
        return process;
    }

    /// <summary>
    /// The region holding <paramref name="address"/> in <paramref name="image"/>. A miss in a live process's
    /// current image rescans its maps (dlopen, JIT), at most once per rescan interval per process; the
    /// rescanned image replaces <paramref name="image"/>.
    /// </summary>
    public ImageRegion? FindRegion(TrackedProcess process, ref ProcessImage image, ulong address)
    {
        if (image.Find(address) is { } region) return region;
        if (process.State != ProcessState.Live || !image.MapsKnown || !ReferenceEquals(image, process.LatestImage)) return null;
        var now = _time.GetTimestamp();
        if (process.LastMapsRead is { } last && now - last < _rescanIntervalTicks) return null;
        process.LastMapsRead = now;
        Statistics.Rescan();
        var maps = _proc.ReadMaps(process.Key.Pid, ExpectedStart(process.Key), out var skipped);
        Statistics.SkippedMapsLines += skipped;
        if (maps is null)
        {
            Statistics.ProcMismatches++;
            return null;
        }
        var rescanned = ImageBuilder.Build(process.Key.Pid, image.ExecutablePath, maps, Files);
        Release(process.ReplaceLatestImage(rescanned));
        image = rescanned;
        return rescanned.Find(address);
    }

    /// <summary>
    /// The batch's watermark: every sample before it has been delivered, so images superseded by an exec
    /// before it and processes that exited before it are no longer needed.
    /// </summary>
    public void AdvanceWatermark(ulong watermark)
    {
        var now = _time.GetTimestamp();
        if (now >= _nextSweep)
        {
            _nextSweep = now + _sweepIntervalTicks;
            RecordLostExits(watermark);
        }
        List<TrackedProcess>? forget = null;
        foreach (var process in _processes.Values)
        {
            if (process.State == ProcessState.Exited && process.ExitKtime < watermark)
            {
                (forget ??= []).Add(process);
                continue;
            }
            if (process.Images.Count > 1 && process.DropImagesBefore(watermark) is { } superseded)
            {
                foreach (var image in superseded) Release(image);
            }
        }
        if (forget is not null)
        {
            foreach (var process in forget)
            {
                Forget(process);
                Statistics.ForgottenAtWatermark();
            }
        }
        if (_exitsWithoutState.Count > 0)
        {
            List<ProcessKey>? passed = null;
            foreach (var (key, exitKtime) in _exitsWithoutState)
            {
                if (exitKtime < watermark) (passed ??= []).Add(key);
            }
            if (passed is not null) foreach (var key in passed) _exitsWithoutState.Remove(key);
        }
    }

    /// <summary>
    /// A live process /proc no longer shows (its exit record was lost, e.g. to a full ring buffer) is recorded
    /// as exited at the current watermark, so the next watermark forgets it instead of it waiting for eviction.
    /// </summary>
    private void RecordLostExits(ulong watermark)
    {
        foreach (var process in _processes.Values)
        {
            if (process.State != ProcessState.Live) continue;
            var start = _proc.ReadStartTicks(process.Key.Pid);
            if (start is not null && (process.Key.StartTicks == 0 || start == process.Key.StartTicks)) continue;
            Statistics.LostExits++;
            Statistics.Transition(ProcessState.Live, ProcessState.Exited);
            process.RecordExit(watermark);
        }
    }

    /// <summary>Forgets everything (shutdown); files are released to <see cref="FileTable.ClosePending"/>.</summary>
    public void Clear()
    {
        foreach (var process in _processes.Values.ToList()) Forget(process);
        _exitsWithoutState.Clear();
    }

    public void Dispose()
    {
        Clear();
        Files.Dispose();
    }

    private void OnFork(ProcessKey key, in ProcessEvent fork)
    {
        if (_processes.ContainsKey(key)) return;
        if (!_latestByPid.TryGetValue(fork.ParentPid, out var parentKey) || !_processes.TryGetValue(parentKey, out var parent) ||
            parent.State != ProcessState.Live || parent.LatestImage is not { } image)
        {
            // Learned at its exec or first sample instead.
            return;
        }
        // The child runs a copy of the parent's memory until it execs: share the image rather than read /proc.
        var child = new TrackedProcess(key, fork.Comm, parent.ContainerId);
        child.AddImage(0, image);
        child.LastMapsRead = _time.GetTimestamp();
        Insert(child);
    }

    private void OnExec(ProcessKey key, in ProcessEvent exec)
    {
        if (!_processes.TryGetValue(key, out var process))
        {
            // Samples before the exec ran another image, which /proc no longer shows: they find no image.
            Learn(key, since: exec.KtimeNanos, exec.Filename);
            return;
        }
        process.Comm = exec.Comm;
        if (process.State != ProcessState.Live) return;
        var snapshot = _proc.Read(key.Pid, ExpectedStart(key), out var skipped);
        Statistics.SkippedMapsLines += skipped;
        process.LastMapsRead = null;
        if (snapshot is not null) process.ContainerId = snapshot.ContainerId ?? process.ContainerId;
        else Statistics.ProcMismatches++;
        process.AddImage(exec.KtimeNanos, ImageFor(key.Pid, snapshot, exec.Filename));
    }

    private void OnExit(ProcessKey key, ulong ktime)
    {
        if (_processes.TryGetValue(key, out var process) && process.State == ProcessState.Live)
        {
            Statistics.Transition(ProcessState.Live, ProcessState.Exited);
            process.RecordExit(ktime);
            return;
        }
        // Lesson 5: an exit for state a race never created (or already recorded) is normal, not an error.
        Statistics.MissingStateNoOp();
        if (process is null && _exitsWithoutState.Count < MaxRememberedExits)
        {
            // A late sample may still make us learn this process from /proc (a zombie): it must then start as exited.
            _exitsWithoutState[key] = ktime;
        }
    }

    /// <summary>Reads a process from /proc; <paramref name="execFilename"/> is null unless learning at its exec.</summary>
    private TrackedProcess? Learn(ProcessKey key, ulong since, string? execFilename)
    {
        var snapshot = _proc.Read(key.Pid, ExpectedStart(key), out var skipped);
        Statistics.SkippedMapsLines += skipped;
        if (snapshot is null)
        {
            Statistics.ProcMismatches++;
            // Gone before we looked: only an exec's file name can still tell what it ran (for kernel build ids).
            if (string.IsNullOrEmpty(execFilename)) return null;
        }
        var process = new TrackedProcess(key, snapshot?.Comm ?? "", snapshot?.ContainerId);
        process.AddImage(since, ImageFor(key.Pid, snapshot, execFilename ?? ""));
        // Right after an exec only the executable and the loader are mapped: let the first miss rescan.
        process.LastMapsRead = execFilename is not null ? null : _time.GetTimestamp();
        Insert(process);
        if (_exitsWithoutState.Remove(key, out var exitKtime))
        {
            Statistics.Transition(ProcessState.Live, ProcessState.Exited);
            process.RecordExit(exitKtime);
        }
        return process;
    }

    private ProcessImage ImageFor(int pid, ProcessSnapshot? snapshot, string execFilename)
    {
        if (snapshot is not null) return ImageBuilder.Build(pid, snapshot.ExePath, snapshot.Maps, Files);
        var path = execFilename.Length > 0 && execFilename[0] == '/' ? execFilename : null;
        return new ProcessImage(path, default, mapsKnown: false, path is null ? null : Files.AcquireByPath(pid, path));
    }

    private void Insert(TrackedProcess process)
    {
        while (_processes.Count >= _maxProcesses && EvictionVictim() is { } victim)
        {
            Statistics.Eviction();
            if (_evictionLog.ShouldLog(out var suppressed))
            {
                _logger.Evicted(_maxProcesses, victim.Key.ToString(), victim.State.ToString().ToLowerInvariant(), victim.LastSampledKtime, suppressed);
            }
            Forget(victim);
        }
        Statistics.Transition(ProcessState.Unknown, ProcessState.Live);
        process.MoveTo(ProcessState.Live);
        _processes.Add(process.Key, process);
        _latestByPid[process.Key.Pid] = process.Key;
    }

    /// <summary>Exited processes first (the earliest exit), else the live one sampled least recently.</summary>
    private TrackedProcess? EvictionVictim()
    {
        TrackedProcess? exited = null, live = null;
        foreach (var process in _processes.Values)
        {
            if (process.State == ProcessState.Exited)
            {
                if (exited is null || process.ExitKtime < exited.ExitKtime) exited = process;
            }
            else if (live is null || process.LastSampledKtime < live.LastSampledKtime)
            {
                live = process;
            }
        }
        return exited ?? live;
    }

    private void Forget(TrackedProcess process)
    {
        Statistics.Transition(process.State, ProcessState.Forgotten);
        process.MoveTo(ProcessState.Forgotten);
        _processes.Remove(process.Key);
        if (_latestByPid.TryGetValue(process.Key.Pid, out var latest) && latest == process.Key) _latestByPid.Remove(process.Key.Pid);
        foreach (var image in process.TakeAllImages()) Release(image);
    }

    private void Release(ProcessImage image)
    {
        if (--image.Holders > 0) return;
        foreach (var file in image.Files()) Files.Release(file);
    }

    /// <summary>A start of 0 means the source could not tell: then whichever process /proc shows is accepted.</summary>
    private static ulong? ExpectedStart(ProcessKey key) => key.StartTicks == 0 ? null : key.StartTicks;
}
