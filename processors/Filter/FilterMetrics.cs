using Collector.Telemetry;

namespace Collector.Processors.Filter;

/// <summary>The filter processor's own metric, beside the incoming/outgoing item counts every processor has.</summary>
internal static class FilterMetrics
{
    public static readonly MetricDefinition DroppedSamples = MetricDefinition.Counter(
        "otelcol_processor_filter_dropped_samples", "{sample}",
        "Samples (OTLP Sample entries) the filter processor dropped because they did not match include or matched exclude.");
}
