using Collector.Core.Telemetry;
using Collector.Telemetry;

namespace Collector.Exporters.Prometheus;

/// <summary>The prometheus exporter's own health, reported on the collector's self-telemetry endpoint.</summary>
internal static class PrometheusExporterMetrics
{
    public static readonly MetricDefinition Series = MetricDefinition.Gauge(
        "otelcol_exporter_prometheus_series", "{series}", "CPU time series the prometheus exporter currently serves.");

    public static readonly MetricDefinition ExpiredSeries = MetricDefinition.Counter(
        "otelcol_exporter_prometheus_expired_series", "{series}", "CPU time series removed because they stopped growing for series_ttl.");

    public static readonly MetricDefinition DroppedCpu = MetricDefinition.Counter(
        "otelcol_exporter_prometheus_dropped_cpu", "s", "CPU time not served because max_series was reached.");

    public static readonly MetricDefinition SkippedSamples = MetricDefinition.Counter(
        "otelcol_exporter_prometheus_skipped_profile_samples", CollectorMetrics.SampleUnit,
        "Samples of profiles that do not measure CPU time (no cpu/nanoseconds period or values), left out.");
}
