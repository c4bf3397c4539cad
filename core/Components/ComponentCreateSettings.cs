using Collector.Core.Telemetry;
using Collector.Telemetry;
using Microsoft.Extensions.Logging;

namespace Collector.Core.Components;

/// <summary>What a factory gets, besides the options, to build a component.</summary>
public sealed class ComponentCreateSettings
{
    private ComponentTelemetry? _telemetry;

    public required ComponentId Id { get; init; }

    public required ComponentKind Kind { get; init; }

    public required ILoggerFactory LoggerFactory { get; init; }

    /// <summary>Every clock read goes through this, so tests can drive time.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// Metrics labelled with this component's id, e.g. <c>settings.Telemetry.Counter(ProfilerMetrics.TruncatedStacks)</c>
    /// or <c>settings.Telemetry.ObservableGauge(ProfilerMetrics.TrackedProcesses, () =&gt; table.Count)</c>.
    /// Outside a running collector (tests that build settings by hand) it records nowhere.
    /// </summary>
    public ComponentTelemetry Telemetry
    {
        get => _telemetry ??= ComponentTelemetry.Unobserved(Id, Kind);
        init => _telemetry = value;
    }

    /// <summary>The logger category is the component kind and id, e.g. <c>exporter/file</c>.</summary>
    public ILogger CreateLogger() => LoggerFactory.CreateLogger($"{Kind.Noun()}/{Id}");
}
