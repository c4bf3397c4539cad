using System.Collections.Concurrent;
using System.Globalization;
using Collector.Bpf;
using Collector.ProcMaps;
using Collector.Receivers.Ebpf.Python;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;

namespace Collector.Receivers.Ebpf.Unwinding;

/// <summary>
/// Keeps the kernel unwinder's view of processes current: which executable files each process maps, where, and the
/// unwind table of each file. The poll thread only queues what it saw (an exec, a fork, an exit, a sample the kernel
/// could not unwind for want of mappings, the watermark); a worker thread of its own reads /proc, builds tables and
/// writes the BPF maps. Nothing here runs on the sampling path: until a process's mappings are in the kernel, its
/// samples use the kernel's frame-pointer walk (and are counted as such).
/// <para>Bad input (files that are not ELF, corrupt call-frame information, processes gone from /proc) is counted
/// and leaves code to frame pointers; no exception leaves the worker.</para>
/// </summary>
internal sealed class NativeUnwinder : IDisposable
{
    /// <summary>USER_HZ: /proc/&lt;pid&gt;/stat counts the start time in these.</summary>
    private const ulong NanosPerTick = 10_000_000;

    private const int QueueCapacity = 16_384;

    /// <summary>Exited processes whose exit record was lost are noticed by this check of /proc.</summary>
    private static readonly TimeSpan LivenessInterval = TimeSpan.FromSeconds(30);

    private readonly UnwindMaps _maps;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly string _procRoot;
    private readonly TimeSpan _rescanInterval;
    private readonly BlockingCollection<UnwinderCommand> _queue = new(QueueCapacity);
    private readonly Dictionary<int, TrackedProcess> _processes = [];
    private readonly Dictionary<int, long> _requested = []; // poll thread only: rate limit of scan requests per pid
    private readonly Thread _worker;
    private long _lastLiveness;
    private long _processCount;
    private long _scans;
    private long _vanished;
    private long _dropped;
    private int _busy;
    private bool _stopping;

    public NativeUnwinder(UnwindMaps maps, ILogger logger, TimeProvider time, NativeUnwinderSettings settings)
    {
        _maps = maps;
        _logger = logger;
        _time = time;
        _procRoot = settings.ProcRoot;
        _rescanInterval = settings.RescanInterval;
        Tables = new UnwindTableCache(maps, settings.TableBudgetBytes, settings.TableLinger, time);
        _lastLiveness = time.GetTimestamp();
        _worker = new Thread(Run) { IsBackground = true, Name = "ebpf_unwind_tables" };
        _worker.Start();
    }

    public UnwindTableCache Tables { get; }

    /// <summary>Where the tracked processes' frames lie (file build id and offset), for samples the kernel walked with tables.</summary>
    public ProcessFrameOrigins FrameOrigins { get; } = new();

    /// <summary>CPython detection, fed from the same reads of /proc; set before the first command, used by the worker only.</summary>
    public CPythonProcesses? Python { get; init; }

    /// <summary>Processes whose mappings the kernel holds.</summary>
    public long Processes => Interlocked.Read(ref _processCount);

    /// <summary>Kernel memory of the process mappings (allocated per process on insert).</summary>
    public long ProcessBytes => Processes * UnwindMaps.KernelBytesPerProcess;

    /// <summary>Reads of a process's maps.</summary>
    public long Scans => Interlocked.Read(ref _scans);

    /// <summary>Processes gone (or their pid reused) before their maps could be read.</summary>
    public long Vanished => Interlocked.Read(ref _vanished);

    /// <summary>Requests dropped because the worker was that far behind.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>True when the worker has handled everything queued so far (tests wait for it).</summary>
    internal bool Idle => _queue.Count == 0 && Volatile.Read(ref _busy) == 0;

    /// <summary>How long after an exec its maps are read: ld.so maps a program's libraries within milliseconds.</summary>
    private const ulong ExecSettleNanos = 30_000_000;

    /// <summary>An exec of the kernel's <paramref name="pid"/>, which the collector's /proc shows as <paramref name="localPid"/>.</summary>
    public void Exec(int pid, int localPid, ulong start, ulong ktime)
    {
        _requested.Remove(pid); // a new program: its first unknown address may ask for a rescan at once
        Enqueue(new UnwinderCommand(UnwinderCommandKind.ExecScan, pid, 0, start, ktime) { LocalPid = localPid });
    }

    public void Fork(int parent, int child, int localChild, ulong childStart) =>
        Enqueue(new UnwinderCommand(UnwinderCommandKind.Fork, child, parent, childStart, 0) { LocalPid = localChild });

    public void Exit(int pid, ulong start, ulong ktime) => Enqueue(new UnwinderCommand(UnwinderCommandKind.Exit, pid, 0, start, ktime));

    public void Watermark(ulong ktime) => Enqueue(new UnwinderCommand(UnwinderCommandKind.Watermark, 0, 0, 0, ktime));

    /// <summary>
    /// A sample the kernel walked without (complete) mappings: the process is unknown to it, or an address lay in no
    /// mapping it knows (dlopen, new JIT memory). Asks for a read of the process's maps, at most once per rescan interval.
    /// </summary>
    public void SampleStopped(int pid, int localPid, ulong start, UserStackStop stop)
    {
        if (stop is not (UserStackStop.NoProcess or UserStackStop.NoMapping))
        {
            return;
        }
        var now = _time.GetTimestamp();
        if (_requested.TryGetValue(pid, out var last) && _time.GetElapsedTime(last, now) < _rescanInterval)
        {
            return;
        }
        if (_requested.Count > UnwindMaps.MaxProcesses)
        {
            _requested.Clear(); // stale pids of exited processes; cheap to rebuild
        }
        _requested[pid] = now;
        Enqueue(new UnwinderCommand(UnwinderCommandKind.Scan, pid, 0, start, 1) { LocalPid = localPid });
    }

    /// <summary>Stops the worker: what is still queued is dropped (it would only keep a stopping profiler current), then the tables go.</summary>
    public void Dispose()
    {
        Volatile.Write(ref _stopping, true);
        _queue.CompleteAdding();
        _worker.Join();
        _queue.Dispose();
    }

    private void Enqueue(UnwinderCommand command)
    {
        try
        {
            if (!_queue.TryAdd(command))
            {
                Interlocked.Increment(ref _dropped);
            }
        }
        catch (InvalidOperationException)
        {
            // Shutting down: nothing more to keep current.
        }
    }

    private void Run()
    {
        foreach (var command in _queue.GetConsumingEnumerable())
        {
            if (Volatile.Read(ref _stopping))
            {
                continue; // a backlog of scans and table builds held SIGTERM up for seconds
            }
            Interlocked.Exchange(ref _busy, 1);
            try
            {
                Handle(command);
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException or ArgumentException or FormatException or OverflowException)
            {
                // A file or process that changed under us: leave that process to frame pointers.
                UnwinderLog.CommandFailed(_logger, command.Kind, command.Pid, error.Message);
            }
            finally
            {
                Interlocked.Exchange(ref _busy, 0);
            }
        }
        // Shutdown: the BPF object goes with the profiler, but leave nothing half-counted.
        Tables.Clear();
    }

    private void Handle(UnwinderCommand command)
    {
        switch (command.Kind)
        {
            case UnwinderCommandKind.Scan:
                Scan(command.Pid, command.LocalPid, command.StartBoottimeNanos, fromSample: true);
                break;
            case UnwinderCommandKind.ExecScan:
                var settled = command.Ktime + ExecSettleNanos;
                var now = KernelClock.MonotonicNanos();
                if (now < settled)
                {
                    Thread.Sleep(TimeSpan.FromTicks((long)Math.Min(settled - now, ExecSettleNanos) / 100));
                }
                // A new program: an interpreter entry copied at fork (or found before) describes the old image.
                Python?.Forget(command.Pid);
                Scan(command.Pid, command.LocalPid, command.StartBoottimeNanos, fromSample: false);
                if (_processes.TryGetValue(command.Pid, out var started))
                {
                    started.ScannedAtExec = true;
                }
                break;
            case UnwinderCommandKind.Fork:
                CopyParent(command.OtherPid, command.Pid, command.LocalPid, command.StartBoottimeNanos);
                break;
            case UnwinderCommandKind.Exit:
                if (_processes.TryGetValue(command.Pid, out var exited) && exited.StartBoottimeNanos == command.StartBoottimeNanos)
                {
                    exited.ExitKtime = command.Ktime;
                }
                break;
            case UnwinderCommandKind.Watermark:
                ForgetExited(command.Ktime);
                break;
        }
    }

    private void Scan(int pid, int localPid, ulong start, bool fromSample)
    {
        var known = _processes.TryGetValue(pid, out var process) && process.StartBoottimeNanos == start;
        if (known && fromSample && !process!.ScannedAtExec && _time.GetElapsedTime(process.LastScan) < _rescanInterval)
        {
            return;
        }
        if (known)
        {
            process!.ScannedAtExec = false;
        }
        var directory = Path.Combine(_procRoot, localPid.ToString(CultureInfo.InvariantCulture));
        if (ReadStartTicks(directory) != start / NanosPerTick || ReadText(Path.Combine(directory, "maps")) is not { } text
            || ReadStartTicks(directory) != start / NanosPerTick)
        {
            Interlocked.Increment(ref _vanished);
            return;
        }
        Interlocked.Increment(ref _scans);
        var executable = MapsParser.Parse(text, out _).FindAll(entry => entry.Executable);
        if (!known)
        {
            if (_processes.Count >= UnwindMaps.MaxProcesses)
            {
                return; // the kernel map is full; this process keeps the frame-pointer walk
            }
            if (_processes.Remove(pid, out var previous))
            {
                Release(previous); // the pid was reused before its exit reached us
            }
            process = new TrackedProcess(start, localPid);
            _processes[pid] = process;
            Interlocked.Exchange(ref _processCount, _processes.Count);
        }
        process!.LastScan = _time.GetTimestamp();
        var old = process.Mappings;

        // First what the cache knows, so the kernel unwinds with those tables at once; then build the missing ones.
        var mappings = new List<(MapsEntry Entry, CachedTable? Table)>(executable.Count);
        var missing = new List<int>();
        foreach (var entry in executable)
        {
            CachedTable? table = null;
            if (entry.Kind == MapsEntryKind.File && !Tables.TryGet(KeyOf(directory, entry), out table))
            {
                missing.Add(mappings.Count);
            }
            mappings.Add((entry, table));
        }
        Use(process, mappings);
        Release(old);
        Write(pid, process);
        var markedNow = Python?.Scanned(pid, localPid, start, executable) ?? false;
        if (missing.Count == 0)
        {
            if (markedNow)
            {
                Write(pid, process); // found to run CPython just now: its samples must look the interpreter up
            }
            return;
        }
        foreach (var index in missing)
        {
            var entry = mappings[index].Entry;
            var key = KeyOf(directory, entry);
            if (!Tables.TryGet(key, out var table))
            {
                table = Tables.Build(key, () => OpenFile(directory, entry), out var evicted);
                foreach (var unloaded in evicted)
                {
                    RewriteUsersOf(unloaded);
                }
            }
            table.References++;
            mappings[index] = (entry, table);
        }
        Write(pid, process);
    }

    private void CopyParent(int parent, int child, int localChild, ulong childStart)
    {
        Python?.Forked(parent, child, childStart);
        if (!_processes.TryGetValue(parent, out var source) || _processes.ContainsKey(child) || _processes.Count >= UnwindMaps.MaxProcesses)
        {
            return; // unknown parent: the child's first sample asks for its maps
        }
        var process = new TrackedProcess(childStart, localChild) { LastScan = source.LastScan };
        Use(process, [.. source.Mappings]);
        _processes[child] = process;
        Interlocked.Exchange(ref _processCount, _processes.Count);
        Write(child, process);
    }

    private void ForgetExited(ulong watermark)
    {
        List<int>? gone = null;
        foreach (var (pid, process) in _processes)
        {
            if (process.ExitKtime is { } exit && exit < watermark)
            {
                (gone ??= []).Add(pid);
            }
        }
        if (_time.GetElapsedTime(_lastLiveness) >= LivenessInterval)
        {
            _lastLiveness = _time.GetTimestamp();
            foreach (var (pid, process) in _processes)
            {
                // An exit record lost to a full ring buffer: the process is gone, or its pid belongs to another.
                if (process.ExitKtime is null && ReadStartTicks(Path.Combine(_procRoot, process.LocalPid.ToString(CultureInfo.InvariantCulture))) != process.StartBoottimeNanos / NanosPerTick)
                {
                    (gone ??= []).Add(pid);
                }
            }
        }
        foreach (var pid in gone ?? [])
        {
            if (_processes.Remove(pid, out var process))
            {
                // Absent state is a no-op (the kernel entry may never have been written): DESIGN lesson 5.
                _maps.RemoveProcess(pid);
                FrameOrigins.Remove(pid);
                Release(process.Mappings);
                Python?.Forget(pid);
            }
        }
        Interlocked.Exchange(ref _processCount, _processes.Count);
        Tables.Sweep();
    }

    /// <summary>Makes <paramref name="mappings"/> the process's, taking a reference on each table.</summary>
    private void Use(TrackedProcess process, List<(MapsEntry Entry, CachedTable? Table)> mappings)
    {
        var now = _time.GetTimestamp();
        foreach (var (_, table) in mappings)
        {
            if (table is not null)
            {
                table.References++;
                table.LastUsed = now;
            }
        }
        process.Mappings = mappings;
    }

    private void Release(TrackedProcess process) => Release(process.Mappings);

    private void Release(List<(MapsEntry Entry, CachedTable? Table)> mappings)
    {
        var now = _time.GetTimestamp();
        foreach (var (_, table) in mappings)
        {
            if (table is not null)
            {
                table.References--;
                table.LastUsed = now;
            }
        }
    }

    /// <summary>A table was unloaded while mapped: its processes must stop pointing at it.</summary>
    private void RewriteUsersOf(CachedTable table)
    {
        foreach (var (pid, process) in _processes)
        {
            if (process.Mappings.Exists(mapping => ReferenceEquals(mapping.Table, table)))
            {
                Write(pid, process);
            }
        }
    }

    /// <summary>Writes the process's mappings to the kernel: sorted, at most the kernel's limit, those with tables first.</summary>
    private void Write(int pid, TrackedProcess process)
    {
        var list = new List<UnwindMapping>(process.Mappings.Count);
        foreach (var (entry, table) in process.Mappings)
        {
            var bias = 0UL;
            var loaded = table is { Loaded: true } && table.Bias is not null && table.Bias.TryGetBias(entry.Start, entry.Offset, out bias);
            list.Add(new UnwindMapping(entry.Start, entry.End, loaded ? bias : 0, loaded ? table!.TableId : 0, loaded ? table!.Shape : UnwindTableShape.None));
        }
        if (list.Count > UnwindMaps.MaxMappingsPerProcess)
        {
            // Mappings without a table only tell "known memory" from "unknown": the ones to drop.
            list = [.. list.OrderByDescending(mapping => mapping.TableId != 0).Take(UnwindMaps.MaxMappingsPerProcess)];
        }
        list.Sort((a, b) => a.Start.CompareTo(b.Start));
        FrameOrigins.Publish(pid, process.StartBoottimeNanos, process.Mappings); // before the kernel can walk with them
        var runsPython = Python?.IsMarked(pid, process.StartBoottimeNanos) ?? false;
        if (!_maps.SetProcess(pid, process.StartBoottimeNanos, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list), runsPython, out var error))
        {
            UnwinderLog.ProcessNotWritten(_logger, pid, error);
            // An older entry would keep pointing at tables this process no longer holds, whose ids come back for other
            // files: without an entry its samples take the frame-pointer walk instead.
            _maps.RemoveProcess(pid);
        }
    }

    /// <summary>
    /// The cache key of a mapped file. Its modification time is the file's own, read through an open handle
    /// (fstat): the map_files entry is a link whose own time is when /proc made it, different in every process,
    /// which would give every process a table of its own.
    /// </summary>
    internal static TableKey KeyOf(string directory, MapsEntry entry)
    {
        var modified = 0L;
        try
        {
            using var handle = File.OpenHandle(MapFilesPath(directory, entry));
            modified = File.GetLastWriteTimeUtc(handle).Ticks;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // Gone already: device and inode alone.
        }
        return new TableKey(entry.Identity.Device, entry.Identity.Inode, modified);
    }

    /// <summary>The mapped file, opened through map_files (the very inode mapped, even when deleted), else by its path in the process's root.</summary>
    private static SafeFileHandle? OpenFile(string directory, MapsEntry entry)
    {
        foreach (var path in (string[])[MapFilesPath(directory, entry), directory + "/root" + entry.Path])
        {
            try
            {
                var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                if (RandomAccess.GetLength(file) <= UnwindTableCache.MaxFileBytes)
                {
                    return file;
                }
                file.Dispose();
                return null;
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                // Try the next way in; null when none works.
            }
        }
        return null;
    }

    private static string MapFilesPath(string directory, MapsEntry entry) =>
        string.Create(CultureInfo.InvariantCulture, $"{directory}/map_files/{entry.Start:x}-{entry.End:x}");

    private static ulong? ReadStartTicks(string directory)
    {
        var text = ReadText(Path.Combine(directory, "stat"));
        try
        {
            return text is null ? null : ProcFs.ParseStartTicks(text);
        }
        catch (Exception error) when (error is FormatException or OverflowException)
        {
            return null;
        }
    }

    private static string? ReadText(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return null; // reaped, or being torn down (ESRCH)
        }
    }
}
