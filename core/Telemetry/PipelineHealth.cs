using Collector.Core.Components;
using Collector.Telemetry;

namespace Collector.Core.Telemetry;

/// <summary>
/// Whether every pipeline of the collector runs. The pipeline graph says when all components have started and
/// when shutdown begins; the host reports components' fatal errors; exporters' outcomes tell whether one keeps
/// failing. Extensions (health_check) ask <see cref="Check"/>.
/// </summary>
public sealed class PipelineHealth(TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Lock _gate = new();
    private readonly List<ExporterOutcomes> _exporters = [];
    private readonly List<string> _fatalErrors = [];
    private DateTimeOffset? _runningSince;
    private bool _stopping;

    /// <summary>Every component has started; from now on the collector is available unless something fails.</summary>
    public void MarkRunning()
    {
        lock (_gate) _runningSince ??= _time.GetUtcNow();
    }

    public void MarkStopping()
    {
        lock (_gate) _stopping = true;
    }

    /// <summary>A component can no longer do its work; the collector stays unavailable for the rest of its life.</summary>
    public void ReportFatalError(ComponentId component, Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        lock (_gate) _fatalErrors.Add($"{component}: {error.Message}");
    }

    internal void Track(ExporterOutcomes exporter)
    {
        lock (_gate) _exporters.Add(exporter);
    }

    /// <summary>
    /// Healthy while running, with no fatal error, and no exporter whose last
    /// <paramref name="exporterFailureThreshold"/> sends all failed (0 leaves exporters out of it). The problems
    /// say why not.
    /// </summary>
    public HealthReport Check(int exporterFailureThreshold)
    {
        lock (_gate)
        {
            var problems = new List<string>(_fatalErrors);
            if (_runningSince is null) problems.Add("the pipelines have not started yet");
            if (_stopping) problems.Add("the collector is shutting down");
            if (exporterFailureThreshold > 0)
            {
                foreach (var exporter in _exporters)
                {
                    var failures = exporter.FailuresInARow;
                    if (failures >= exporterFailureThreshold)
                    {
                        problems.Add($"exporter {exporter.Exporter}: the last {failures} sends failed ({exporter.LastError ?? "no error message"})");
                    }
                }
            }
            return new HealthReport(problems.Count == 0, _runningSince, _time.GetUtcNow(), problems);
        }
    }
}

/// <summary>One answer of <see cref="PipelineHealth.Check"/>: healthy or the problems, when it started running, and when it was asked.</summary>
public sealed record HealthReport(bool Healthy, DateTimeOffset? RunningSince, DateTimeOffset CheckedAt, IReadOnlyList<string> Problems)
{
    public TimeSpan Uptime => RunningSince is { } since ? CheckedAt - since : TimeSpan.Zero;
}
