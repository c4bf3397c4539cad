using Collector.Core.Telemetry;
using Collector.Telemetry;

namespace Collector.Exporters.Otlp;

/// <summary>What the OTLP exporters report beyond the standard exporter metrics (sent, failed, queue).</summary>
internal static class OtlpExporterMetrics
{
    public static readonly MetricDefinition PartialSuccessRejected = MetricDefinition.Counter(
        "otelcol_exporter_otlp_partial_success_rejected_profiles", "{profile}",
        "Profiles the backend reported as rejected in partial_success responses.");

    public static readonly MetricDefinition RequestBytesSent = MetricDefinition.Counter(
        "otelcol_exporter_otlp_request_sent", "By",
        "Bytes of request bodies put on the wire (compressed and framed), every attempt counted.", TelemetryLevel.Detailed);

    public static readonly MetricDefinition CorruptRecords = MetricDefinition.Counter(
        "otelcol_exporter_otlp_persistent_queue_corrupt_records", "{record}",
        "Records of the persistent sending queue found damaged (torn or failing their checksum) and skipped.");
}
