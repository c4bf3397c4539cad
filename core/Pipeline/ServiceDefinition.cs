using Collector.Core.Components;

namespace Collector.Core.Pipeline;

/// <summary>A configured component: its id, the factory that makes it, and its validated options.</summary>
public sealed record ComponentDefinition(ComponentKind Kind, ComponentId Id, IComponentFactory Factory, IComponentOptions Options);

/// <summary>One entry of <c>service.pipelines</c>: receivers, processors in order, exporters.</summary>
public sealed record PipelineDefinition(
    PipelineId Id,
    IReadOnlyList<ComponentId> Receivers,
    IReadOnlyList<ComponentId> Processors,
    IReadOnlyList<ComponentId> Exporters);

/// <summary>
/// A fully validated configuration, ready to be built into a running graph: every id a pipeline references
/// is defined here, and every defined component is used.
/// </summary>
public sealed class ServiceDefinition
{
    public required IReadOnlyDictionary<ComponentId, ComponentDefinition> Receivers { get; init; }

    public required IReadOnlyDictionary<ComponentId, ComponentDefinition> Processors { get; init; }

    public required IReadOnlyDictionary<ComponentId, ComponentDefinition> Exporters { get; init; }

    public required IReadOnlyDictionary<ComponentId, ComponentDefinition> Extensions { get; init; }

    /// <summary>Extensions to start, in the order <c>service.extensions</c> lists them.</summary>
    public required IReadOnlyList<ComponentId> EnabledExtensions { get; init; }

    public required IReadOnlyList<PipelineDefinition> Pipelines { get; init; }

    public TelemetrySettings Telemetry { get; init; } = new();
}

/// <summary><c>service.telemetry</c>: how the collector reports on itself.</summary>
public sealed class TelemetrySettings
{
    /// <summary><c>service.telemetry.logs.level</c>: debug, info, warn or error.</summary>
    public string LogLevel { get; init; } = "info";

    /// <summary><c>service.telemetry.metrics.level</c>: none, basic, normal or detailed.</summary>
    public string MetricsLevel { get; init; } = "normal";

    /// <summary>Where the Prometheus pull endpoint listens (<c>readers[].pull.exporter.prometheus</c>).</summary>
    public string MetricsHost { get; init; } = "localhost";

    public int MetricsPort { get; init; } = 8888;
}
