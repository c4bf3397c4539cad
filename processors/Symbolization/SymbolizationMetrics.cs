using Collector.Core.Telemetry;
using Collector.Telemetry;

namespace Collector.Processors.Symbolization;

/// <summary>The symbolization processor's own metrics, beside the shared symbol-cache ones in <see cref="ProfilerMetrics"/>.</summary>
internal static class SymbolizationMetrics
{
    public const string SourceLabel = "source";
    public const string ReasonLabel = "reason";
    public const string RuntimeLabel = "runtime";
    public const string OutcomeLabel = "outcome";

    public static readonly MetricDefinition PerfMapRequests = MetricDefinition.Counter(
        "otelcol_processor_perf_map_requests", "{request}",
        "Requests to runtimes (dotnet over its diagnostics IPC, java over the attach protocol) to write their perf map, by runtime and outcome.");

    public static readonly MetricDefinition SymbolizedFrames = MetricDefinition.Counter(
        "otelcol_processor_symbolized_frames", "{frame}",
        "Distinct frames per batch the symbolizer named, by source (kernel, elf, perf_map).");

    public static readonly MetricDefinition SymbolReadFailures = MetricDefinition.Counter(
        "otelcol_processor_symbol_read_failures", "{failure}",
        "Symbol sources that could not be read or were malformed (bad ELF, unreadable file, hidden kallsyms addresses), by reason.");
}
