using Collector.Core.Components;
using Collector.Core.Helpers;
using Collector.Core.Model;
using Collector.Core.Telemetry;
using Collector.Telemetry;
using Microsoft.Extensions.Logging;

namespace Collector.Processors.PidLifecycle;

/// <summary>
/// The <c>pid_lifecycle</c> processor. For each batch, under one lock: process events update the process table
/// (exec, fork, exit), raw samples become resources with mapped frames (<see cref="BatchAssembler"/>), the
/// watermark forgets what is no longer needed. Then, without the lock, the batch goes downstream; files no
/// process refers to any more are closed only once no batch that might use them is still downstream.
/// Batches without raw samples (OTLP from other receivers) pass through untouched apart from their events
/// and watermark, which the table reads (and which are passed on).
/// </summary>
internal sealed class PidLifecycleProcessor : ProcessorBase
{
    private readonly Lock _gate = new();
    private readonly ProcessTable _table;
    private int _inFlight;

    public PidLifecycleProcessor(ComponentCreateSettings settings, PidLifecycleOptions options, IProfilesConsumer next, IBuildIdReader buildIds)
        : base(settings, next)
    {
        Statistics = new PidLifecycleStatistics(settings.Telemetry);
        var proc = new ProcReader(options.ProcRoot);
        _table = new ProcessTable(proc, new FileTable(proc, buildIds), Statistics, options.MaxProcesses, options.RescanInterval,
            settings.TimeProvider, Logger);
        settings.Telemetry.ObservableGauge(ProfilerMetrics.TrackedProcesses, () => TrackedCount);
        settings.Telemetry.ObservableGauge(PidLifecycleMetrics.HeldFiles, () => HeldFileCount);
    }

    public override bool MutatesData => true;

    internal PidLifecycleStatistics Statistics { get; }

    internal int TrackedCount
    {
        get
        {
            lock (_gate) return _table.Count;
        }
    }

    internal int HeldFileCount
    {
        get
        {
            lock (_gate) return _table.Files.OpenCount;
        }
    }

    /// <summary>For tests: the table under the lock.</summary>
    internal T Inspect<T>(Func<ProcessTable, T> read)
    {
        lock (_gate) return read(_table);
    }

    protected override async ValueTask ProcessAsync(ProfileBatch batch, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            Process(batch);
            _inFlight++;
        }
        try
        {
            await ForwardAsync(batch, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            lock (_gate)
            {
                // Every batch that could hold a released file has been handed over: now it may be closed.
                if (--_inFlight == 0) _table.Files.ClosePending();
            }
        }
    }

    protected override Task OnShutdownAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            // Nothing is buffered here (each batch goes downstream before ConsumeAsync returns): only state to drop.
            Logger.Stopped(_table.Count, Statistics.Forgotten, Statistics.Evictions, Statistics.MissingState, Statistics.LostExits, Statistics.Rescans, Statistics.BuildIdScans,
                Statistics.MappedFrames, Statistics.OriginOnlyFrames, Statistics.UnmappedFrames);
            _table.Clear();
            if (_inFlight == 0) _table.Files.ClosePending();
        }
        return Task.CompletedTask;
    }

    protected override void Process(ProfileBatch batch)
    {
        foreach (var processEvent in batch.ProcessEvents) _table.Handle(processEvent);
        if (batch.Raw is { } raw)
        {
            batch.ResourceProfiles.AddRange(new BatchAssembler(_table, raw, batch.Executables).Assemble());
            batch.Raw = null;
        }
        if (batch.WatermarkKtimeNanos is { } watermark) _table.AdvanceWatermark(watermark);
    }
}
