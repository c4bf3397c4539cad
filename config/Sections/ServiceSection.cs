using Collector.Core.Components;
using Collector.Core.Pipeline;

namespace Collector.Config.Sections;

/// <summary>What <c>service</c> says: extensions to start, pipelines, and self-telemetry.</summary>
internal sealed record ServiceSection(
    IReadOnlyList<ComponentId> Extensions,
    IReadOnlyList<PipelineDefinition> Pipelines,
    TelemetrySettings Telemetry);
