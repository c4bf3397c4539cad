using System.Diagnostics;
using Collector.Bpf;
using Collector.Core.Components;
using Collector.Core.Model;
using Collector.Core.Telemetry;
using Collector.Receivers.Ebpf.Python;
using Collector.Receivers.Ebpf.Unwinding;
using Collector.Telemetry;
using Microsoft.Extensions.Logging;

namespace Collector.Receivers.Ebpf;

/// <summary>
/// The <c>ebpf_profiling</c> receiver: loads the BPF profiler at start, drains its ring buffer twice a second,
/// and sends downstream, in order:
/// <list type="bullet">
/// <item>raw samples (unsymbolized addresses) every <see cref="EbpfProfilingOptions.ReportInterval"/>;</item>
/// <item>process events (exec, fork, exit) at every tick;</item>
/// <item>a watermark at every tick (2 Hz): the kernel time below which everything has been delivered.</item>
/// </list>
/// The watermark cannot pass samples still held for the report, so when an exit arrives the held samples go out
/// at once: downstream cleanup waits for the watermark to pass an exit, and then waits under a second.
/// <para>Start fails with a <see cref="BpfException"/> naming the missing capability or kernel feature. A
/// failure after start is reported to the host, which decides whether the collector goes on.</para>
/// </summary>
public sealed class EbpfProfilingReceiver : IReceiver
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(500);

    /// <summary>See <see cref="WatermarkTracker"/>: far longer than a BPF program runs, far shorter than the 1 s budget.</summary>
    private static readonly TimeSpan WatermarkMargin = TimeSpan.FromMilliseconds(20);

    private static readonly TimeSpan LostRecordsLogInterval = TimeSpan.FromSeconds(10);

    /// <summary>At most 20 early wake-ups a second for execs (see <see cref="WaitForTick"/>).</summary>
    private static readonly TimeSpan MinEarlyWakeInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>Eight seconds of ticks may wait behind refused control data before the oldest batch is dropped.</summary>
    private const int OutboxCapacity = 16;

    private readonly ComponentId _id;
    private readonly EbpfProfilingOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly WatermarkTracker _watermark = new(WatermarkMargin);
    private readonly ProcessFilter? _filter;
    private readonly NamespaceScope? _namespace;
    private readonly RecordCollector _collector;
    private readonly BatchOutbox _outbox;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lifecycle = new();
    private readonly TaskCompletionSource _loopDone = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private KernelProfiler? _profiler;
    private NativeUnwinder? _unwinder;
    private CPythonProcesses? _python;
    // Replaced whole at each poll, read by the metrics thread: a box so a reader never sees half of one poll's counters.
    private System.Runtime.CompilerServices.StrongBox<PythonWalkCounters> _pythonWalks = new();
    private IComponentHost? _host;
    private Task? _loop;
    private bool _started;
    private bool _shutdown;
    private ulong _bootTimeUnixNanos;
    private long _lastReport;
    private long _recordsLost;
    private long _recordsLostLogged;
    private long _lastLostLog;

    public EbpfProfilingReceiver(ComponentCreateSettings settings, EbpfProfilingOptions options, IProfilesConsumer next)
        : this(settings, options, next, new ProcFs(), PidNamespace.OfThisProcess())
    {
    }

    internal EbpfProfilingReceiver(ComponentCreateSettings settings, EbpfProfilingOptions options, IProfilesConsumer next, IProcessInfoSource processes, PidNamespace pidNamespace)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(next);
        _id = settings.Id;
        _options = options;
        _logger = settings.CreateLogger();
        _time = settings.TimeProvider;
        _filter = options.HasUserSpaceFilters ? new ProcessFilter(options, processes) : null;
        // In a pid namespace of its own the kernel's pids are not the collector's: see PidNamespace.
        _namespace = pidNamespace.IsInitial ? null : new NamespaceScope(pidNamespace, options.ExcludeSelf ? Environment.ProcessId : 0, options.Pids);
        _collector = new RecordCollector(_filter, _watermark, _namespace);
        _outbox = new BatchOutbox(next, OutboxCapacity, _logger, _time);
        // Health counters the receiver keeps anyway, read at scrape time: nothing extra on the sampling path.
        settings.Telemetry.ObservableCounter(ProfilerMetrics.CollectedSamples, () => SamplesReceived);
        settings.Telemetry.ObservableCounter(ProfilerMetrics.RingBufferLostRecords, () => RecordsLost);
        settings.Telemetry.ObservableCounter(ProfilerMetrics.TruncatedStacks, () => StacksTruncated, (ProfilerMetrics.ReasonLabel, "depth_limit"));
        settings.Telemetry.ObservableCounter(ProfilerMetrics.TruncatedStacks,
            () => _collector.UserStops(UserStackStop.NoTable) + _collector.UserStops(UserStackStop.NoProcess), (ProfilerMetrics.ReasonLabel, "no_table"));
        settings.Telemetry.ObservableCounter(ProfilerMetrics.TruncatedStacks, () => _collector.UserStops(UserStackStop.NoMapping), (ProfilerMetrics.ReasonLabel, "no_mapping"));
        settings.Telemetry.ObservableCounter(ProfilerMetrics.TruncatedStacks, () => _collector.UserStops(UserStackStop.ReadFault), (ProfilerMetrics.ReasonLabel, "read_fault"));
        settings.Telemetry.ObservableCounter(ProfilerMetrics.TruncatedStacks, () => _collector.UserStops(UserStackStop.Unsupported), (ProfilerMetrics.ReasonLabel, "unsupported"));
        settings.Telemetry.ObservableGauge(ProfilerMetrics.UnwindTables, () => _unwinder?.Tables.LoadedTables ?? 0);
        settings.Telemetry.ObservableGauge(ProfilerMetrics.UnwindTableBytes, () => _unwinder?.Tables.KernelBytes ?? 0, ("kind", "tables"));
        settings.Telemetry.ObservableGauge(ProfilerMetrics.UnwindTableBytes, () => _unwinder?.ProcessBytes ?? 0, ("kind", "process_mappings"));
        settings.Telemetry.ObservableCounter(ProfilerMetrics.UnwindTableEvictions, () => _unwinder?.Tables.Evictions ?? 0);
        settings.Telemetry.ObservableCounter(ProfilerMetrics.UnwindTableFailures, () => _unwinder?.Tables.Failures ?? 0);
        settings.Telemetry.ObservableGauge(ProfilerMetrics.UnwindProcesses, () => _unwinder?.Processes ?? 0);
        settings.Telemetry.ObservableGauge(ProfilerMetrics.PythonProcesses, () => _python?.Count ?? 0);
        settings.Telemetry.ObservableCounter(ProfilerMetrics.PythonDetections, () => _python?.Detected ?? 0, (ProfilerMetrics.ReasonLabel, "detected"));
        settings.Telemetry.ObservableCounter(ProfilerMetrics.PythonDetections, () => _python?.Failed ?? 0, (ProfilerMetrics.ReasonLabel, "not_supported"));
        settings.Telemetry.ObservableCounter(ProfilerMetrics.PythonWalks, () => PythonWalks.Walks);
        foreach (var (reason, read) in PythonFailureReasons)
        {
            settings.Telemetry.ObservableCounter(ProfilerMetrics.PythonWalkFailures, () => read(this), (ProfilerMetrics.ReasonLabel, reason));
        }
    }

    /// <summary>Samples read from the ring buffer, before the user-space filters.</summary>
    public long SamplesReceived => _collector.SamplesReceived;

    /// <summary>Samples and events the kernel could not put in the ring buffer because it was full.</summary>
    public long RecordsLost => Interlocked.Read(ref _recordsLost);

    /// <summary>Samples with a kernel or user stack cut at 127 frames.</summary>
    public long StacksTruncated => _collector.StacksTruncated;

    /// <summary>Distinct processes the process_names, cgroup or container_id filters rejected.</summary>
    public long ProcessesFilteredOut => _filter?.ProcessesFilteredOut ?? 0;

    /// <summary>Samples of rejected processes.</summary>
    public long SamplesFilteredOut => _collector.SamplesFilteredOut;

    /// <summary>Processes gone from /proc before the filters could look at them (judged by their record alone).</summary>
    public long ProcessesVanished => _filter?.ProcessesVanished ?? 0;

    /// <summary>In a pid namespace of its own: samples of processes outside it, left out (0 in the host's namespace).</summary>
    public long SamplesOutsideNamespace => _namespace?.SamplesOutside ?? 0;

    /// <summary>Records stamped before an already published watermark; should stay 0.</summary>
    public long LateRecords => _collector.LateRecords;

    /// <summary>Samples downstream refused (for now or for good; never retried) or that waited too long behind refused control data.</summary>
    public long SamplesDropped => _outbox.SamplesDropped;

    public long BatchesSent => _outbox.BatchesSent;

    /// <summary>Samples whose user stack walk ended for this reason (see <see cref="UserStackStop"/>).</summary>
    public long UserStops(UserStackStop stop) => _collector.UserStops(stop);

    /// <summary>The unwinder's user-space half; null with <c>native_unwinding: frame_pointers</c> or when the kernel cannot unwind.</summary>
    internal NativeUnwinder? Unwinder => _unwinder;

    /// <summary>The CPython processes the kernel walks; null when Python support is off or the unwinder is unavailable.</summary>
    internal CPythonProcesses? Python => _python;

    /// <summary>What the kernel's CPython walk counted, as of the last poll.</summary>
    internal PythonWalkCounters PythonWalks => Volatile.Read(ref _pythonWalks).Value;

    /// <summary>Samples whose Python frames were placed / did not fit their native stack.</summary>
    internal long PythonPlaced => _collector.PythonPlaced;

    internal long PythonMismatched => _collector.PythonMismatched;

    /// <summary>The reasons a sample of a CPython process is left with native frames only (docs/telemetry.md).</summary>
    private static readonly (string Reason, Func<EbpfProfilingReceiver, long> Read)[] PythonFailureReasons =
    [
        ("no_thread_state", r => r.PythonWalks.NoThreadState),
        ("no_thread_match", r => r.PythonWalks.NoThreadMatch),
        ("frame_unreadable", r => r.PythonWalks.FrameUnreadable),
        ("bad_code", r => r.PythonWalks.BadCode),
        ("chain_too_long", r => r.PythonWalks.ChainTooLong),
        ("too_many_threads", r => r.PythonWalks.TooManyThreads),
        ("placement_mismatch", r => r._collector.PythonMismatched),
    ];

    public Task StartAsync(IComponentHost host, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        lock (_lifecycle)
        {
            if (_started || _shutdown)
            {
                return Task.CompletedTask;
            }
            _host = host;
            var settings = new KernelProfilerSettings
            {
                SamplesPerSecond = _options.SamplesPerSecond,
                KernelStacks = _options.KernelStacks,
                UserBuildIds = _options.UserBuildIds,
                NativeUnwinding = _options.NativeUnwinding == EbpfProfilingOptions.NativeUnwindingAuto,
                // Both are kernel pids: in a namespace of its own the collector knows neither, and NamespaceScope applies them.
                ExcludedPid = _options.ExcludeSelf && _namespace is null ? Environment.ProcessId : 0,
                TargetPids = _namespace is null ? [.. _options.Pids.Distinct()] : [],
            };
            foreach (var capability in AgentCapabilities.MissingOptional(KernelRequirements.ReadEffectiveCapabilities(), Environment.OSVersion.Version))
            {
                _logger.CapabilityMissing(capability.Name, capability.CostWhenMissing);
            }
            // Throws BpfException naming what is missing; the host turns that into exit code 1 or carries on.
            _profiler = KernelProfiler.Start(settings, _collector, _logger);
            if (_profiler.Unwinding is { } maps)
            {
                if (_options.Python.Enabled && _profiler.Python is { } pythonMaps)
                {
                    _python = new CPythonProcesses(pythonMaps,
                        CPythonScanning.Detector(_options.UnwinderSettings.ProcRoot, _options.PythonLayoutAdjustment), _logger);
                    _collector.Python = _python;
                }
                _unwinder = new NativeUnwinder(maps, _logger, _time, _options.UnwinderSettings) { Python = _python };
                _collector.Unwinder = _unwinder;
                _collector.FrameOrigins = _options.UserBuildIds ? _unwinder.FrameOrigins : null;
            }
            _bootTimeUnixNanos = KernelClock.BootTimeUnixNanos();
            _lastReport = _time.GetTimestamp();
            _lastLostLog = _lastReport;
            _started = true;
            _logger.Started(Scope(), _options.SamplesPerSecond, _profiler.Cpus.Count, _options.KernelStacks, _options.ReportInterval);
            if (_namespace is not null)
            {
                _logger.NestedPidNamespace();
            }
            _loop = _loopDone.Task;
            new Thread(RunLoop) { IsBackground = true, Name = "ebpf_profiling" }.Start();
        }
        return Task.CompletedTask;
    }

    public async Task ShutdownAsync(CancellationToken cancellationToken)
    {
        lock (_lifecycle)
        {
            if (_shutdown)
            {
                return;
            }
            _shutdown = true;
        }
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }
        if (_profiler is { } profiler)
        {
            try
            {
                // Nothing new after detaching: one last poll collects everything, and its watermark covers it all.
                profiler.Detach();
                await TickAsync(final: true, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception error)
            {
                _logger.FinalDrainFailed(error);
            }
            finally
            {
                _outbox.DropAll("the receiver shut down before downstream accepted it");
                _unwinder?.Dispose();
                profiler.Dispose();
                _logger.Stopped(SamplesReceived, SamplesFilteredOut, RecordsLost, StacksTruncated, LateRecords, SamplesDropped, BatchesSent);
                if (_namespace is not null)
                {
                    _logger.NamespaceStopped(SamplesOutsideNamespace, _namespace.Pids.ProcessesOutside, _namespace.Pids.Ambiguous, _namespace.Pids.Scans);
                }
            }
        }
        _stop.Dispose();
    }

    /// <summary>
    /// The poll loop, on a thread of its own: one wake-up per tick. A timer would wake the runtime's timer thread,
    /// which wakes a pool thread, which wakes the pool's gate thread: at 2 Hz those hand-offs cost more CPU than
    /// the polling itself. Downstream usually completes synchronously; when it does not, this thread waits.
    /// </summary>
    private void RunLoop()
    {
        var stop = _stop.Token;
        try
        {
            // Real time, like the wait itself.
            var period = (long)(Tick.TotalSeconds * Stopwatch.Frequency);
            var next = Stopwatch.GetTimestamp();
            while (true)
            {
                next += period;
                var wait = next - Stopwatch.GetTimestamp();
                if (wait < 0)
                {
                    // Fell behind (a slow consumer): tick now and keep the period from here, as PeriodicTimer does.
                    next -= wait;
                    wait = 0;
                }
                if (WaitForTick(next, stop))
                {
                    break; // Shutdown: the final tick happens there, after detaching.
                }
                TickAsync(final: false, stop).GetAwaiter().GetResult();
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Shutdown during delivery: the final tick happens there, after detaching.
        }
        catch (Exception error)
        {
            _logger.PollFailed(error);
            // Nobody drains the ring buffer any more: stop the kernel from sampling into it.
            _profiler?.Detach();
            _host?.ReportFatalError(_id, error);
        }
        finally
        {
            _loopDone.TrySetResult();
        }
    }

    /// <summary>
    /// Waits until the tick at <paramref name="next"/> (a Stopwatch timestamp); true when stopping instead. With native
    /// unwinding the wait is on the ring buffer, which an exec wakes: the new program's records are read at once, so
    /// the unwinder reads its maps within milliseconds rather than at the tick. Under process churn the early
    /// wake-ups are spaced by <see cref="MinEarlyWakeInterval"/>; shutdown may wait for the end of the current wait.
    /// </summary>
    private bool WaitForTick(long next, CancellationToken stop)
    {
        if (_unwinder is null)
        {
            return stop.WaitHandle.WaitOne(Stopwatch.GetElapsedTime(0, Math.Max(0, next - Stopwatch.GetTimestamp())));
        }
        while (true)
        {
            var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), next);
            if (stop.IsCancellationRequested)
            {
                return true;
            }
            if (remaining <= TimeSpan.Zero)
            {
                return false;
            }
            if (_profiler!.WaitAndPoll((int)Math.Ceiling(remaining.TotalMilliseconds)) > 0
                && stop.WaitHandle.WaitOne(TimeSpan.FromTicks(Math.Min(MinEarlyWakeInterval.Ticks, Math.Max(0, Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), next).Ticks)))))
            {
                return true;
            }
        }
    }

    /// <summary>Drains the ring buffer, then sends what is due in one batch: events, samples if the report is due, watermark.</summary>
    private async Task TickAsync(bool final, CancellationToken cancellationToken)
    {
        var profiler = _profiler!;
        var pollStart = KernelClock.MonotonicNanos();
        profiler.Poll();

        var reportDue = final || _collector.ExitPending || _time.GetElapsedTime(_lastReport) >= _options.ReportInterval;
        var batch = new ProfileBatch { ProcessEvents = _collector.TakeEvents() };
        if (reportDue)
        {
            // The loss counters are a per-CPU map, one bpf() call per read: once a report is often enough.
            NoteKernelCounters(profiler.ReadCounters());
            _lastReport = _time.GetTimestamp();
            if (_collector.HeldSamples > 0)
            {
                batch.Raw = new RawSampleSet
                {
                    BootTimeUnixNano = _bootTimeUnixNanos,
                    PeriodNanos = 1_000_000_000L / _options.SamplesPerSecond,
                    Samples = _collector.TakeSamples(),
                };
            }
        }
        var previous = _watermark.Published;
        batch.WatermarkKtimeNanos = _watermark.Next(pollStart, _collector.OldestHeldKtime);
        if (batch.WatermarkKtimeNanos is { } watermark)
        {
            _unwinder?.Watermark(watermark);
        }
        if (batch.Raw is not null || batch.ProcessEvents.Count > 0 || batch.WatermarkKtimeNanos != previous)
        {
            _outbox.Enqueue(batch);
        }
        await _outbox.DeliverAsync(cancellationToken).ConfigureAwait(false);
    }

    private void NoteKernelCounters(KernelCounters counters)
    {
        Interlocked.Exchange(ref _recordsLost, counters.RecordsLost);
        Volatile.Write(ref _pythonWalks, new System.Runtime.CompilerServices.StrongBox<PythonWalkCounters>(counters.Python));
        var unreported = counters.RecordsLost - _recordsLostLogged;
        var sinceLog = _time.GetElapsedTime(_lastLostLog);
        if (unreported > 0 && sinceLog >= LostRecordsLogInterval)
        {
            _logger.RecordsLost(unreported, sinceLog.TotalSeconds, counters.RecordsLost);
            _recordsLostLogged = counters.RecordsLost;
            _lastLostLog = _time.GetTimestamp();
        }
    }

    private string Scope()
    {
        var parts = new List<string>();
        if (_options.Pids.Count > 0)
        {
            parts.Add($"pids {string.Join(',', _options.Pids)}");
        }
        if (_options.ProcessNames.Count > 0)
        {
            parts.Add($"processes named {string.Join(" or ", _options.ProcessNames)}");
        }
        if (_options.Cgroup.Length > 0)
        {
            parts.Add($"cgroup {_options.Cgroup}");
        }
        if (_options.ContainerId.Length > 0)
        {
            parts.Add($"container {_options.ContainerId}");
        }
        var scope = parts.Count == 0 ? "every process" : string.Join(" and ", parts);
        return _options.ExcludeSelf ? scope + " (except the collector)" : scope;
    }
}
