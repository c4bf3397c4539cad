using Collector.Core.Components;
using Collector.Core.Telemetry;
using Collector.Telemetry;

namespace Collector.Processors.PidLifecycle;

/// <summary>
/// The processor's counters: kept as totals (tests and the shutdown log read them) and forwarded to
/// self-telemetry. Updated under the processor's lock.
/// </summary>
internal sealed class PidLifecycleStatistics
{
    private readonly Dictionary<(ProcessState, ProcessState), TelemetryCounter> _transitionCounters = [];
    private readonly Dictionary<(ProcessState, ProcessState), long> _transitions = [];
    private readonly TelemetryCounter _forgotten;
    private readonly TelemetryCounter _missingState;
    private readonly TelemetryCounter _rescans;
    private readonly TelemetryCounter _evictions;
    private readonly TelemetryCounter _mapped;
    private readonly TelemetryCounter _originOnly;
    private readonly TelemetryCounter _unmapped;

    public PidLifecycleStatistics(ComponentTelemetry telemetry)
    {
        foreach (var transition in ProcessStates.All)
        {
            _transitionCounters[transition] = telemetry.Counter(PidLifecycleMetrics.StateTransitions,
                (PidLifecycleMetrics.TransitionLabel, ProcessStates.Label(transition.From, transition.To)));
            _transitions[transition] = 0;
        }
        _forgotten = telemetry.Counter(ProfilerMetrics.ForgottenProcesses);
        _missingState = telemetry.Counter(ProfilerMetrics.MissingStateCleanups);
        _rescans = telemetry.Counter(ProfilerMetrics.MapsRescans);
        _evictions = telemetry.Counter(PidLifecycleMetrics.EvictedProcesses);
        _mapped = telemetry.Counter(PidLifecycleMetrics.UserFrames, (PidLifecycleMetrics.OutcomeLabel, PidLifecycleMetrics.OutcomeMapped));
        _originOnly = telemetry.Counter(PidLifecycleMetrics.UserFrames, (PidLifecycleMetrics.OutcomeLabel, PidLifecycleMetrics.OutcomeOriginOnly));
        _unmapped = telemetry.Counter(PidLifecycleMetrics.UserFrames, (PidLifecycleMetrics.OutcomeLabel, PidLifecycleMetrics.OutcomeUnmapped));
    }

    public long Forgotten { get; private set; }

    /// <summary>Exits (or other cleanups) that found no state: counted no-ops.</summary>
    public long MissingState { get; private set; }

    public long Rescans { get; private set; }

    public long Evictions { get; private set; }

    public long MappedFrames { get; private set; }

    public long OriginOnlyFrames { get; private set; }

    public long UnmappedFrames { get; private set; }

    /// <summary>/proc reads that found another process under the pid (reuse) or none: the entry was not trusted.</summary>
    public long ProcMismatches { get; set; }

    /// <summary>Scans of every live process's maps for build ids that frames named but no known file had.</summary>
    public long BuildIdScans { get; set; }

    /// <summary>Live processes found gone from /proc without an exit event (lost records): recorded as exited.</summary>
    public long LostExits { get; set; }

    /// <summary>Maps lines that did not parse.</summary>
    public long SkippedMapsLines { get; set; }

    public long Transitions(ProcessState from, ProcessState to) => _transitions.GetValueOrDefault((from, to));

    public void Transition(ProcessState from, ProcessState to)
    {
        _transitions[(from, to)] = _transitions.GetValueOrDefault((from, to)) + 1;
        if (_transitionCounters.TryGetValue((from, to), out var counter)) counter.Add(1);
    }

    /// <summary>An exited process dropped because the watermark passed its exit (not by eviction).</summary>
    public void ForgottenAtWatermark()
    {
        Forgotten++;
        _forgotten.Add(1);
    }

    public void MissingStateNoOp()
    {
        MissingState++;
        _missingState.Add(1);
    }

    public void Rescan()
    {
        Rescans++;
        _rescans.Add(1);
    }

    public void Eviction()
    {
        Evictions++;
        _evictions.Add(1);
    }

    /// <summary>Frame outcomes of one batch, added once per batch rather than per frame.</summary>
    public void Frames(long mapped, long originOnly, long unmapped)
    {
        MappedFrames += mapped;
        OriginOnlyFrames += originOnly;
        UnmappedFrames += unmapped;
        _mapped.Add(mapped);
        _originOnly.Add(originOnly);
        _unmapped.Add(unmapped);
    }
}
