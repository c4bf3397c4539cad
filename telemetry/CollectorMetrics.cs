namespace Collector.Telemetry;

/// <summary>
/// The OpenTelemetry Collector's own metric names (receiverhelper, exporterhelper, processorhelper, service),
/// with profiles counted in samples. Components do not record these themselves: the pipeline graph wraps
/// receivers' outputs, processors and exporters so every component has them by construction.
/// </summary>
public static class CollectorMetrics
{
    public const string SampleUnit = "{sample}";

    /// <summary>The label the Collector puts on processor item counts (<c>otel.signal</c>, exposed as <c>otel_signal</c>).</summary>
    public const string SignalLabel = "otel_signal";

    public const string TransportLabel = "transport";

    public const string DataTypeLabel = "data_type";

    public const string ProfilesSignal = "profiles";

    public static readonly MetricDefinition ReceiverAcceptedSamples = MetricDefinition.Counter(
        "otelcol_receiver_accepted_profile_samples", SampleUnit,
        "Number of profile samples successfully pushed into the pipeline.", TelemetryLevel.Basic);

    public static readonly MetricDefinition ReceiverRefusedSamples = MetricDefinition.Counter(
        "otelcol_receiver_refused_profile_samples", SampleUnit,
        "Number of profile samples the pipeline refused for now (backpressure); the receiver may retry them.", TelemetryLevel.Basic);

    public static readonly MetricDefinition ReceiverFailedSamples = MetricDefinition.Counter(
        "otelcol_receiver_failed_profile_samples", SampleUnit,
        "Number of profile samples the pipeline rejected permanently.", TelemetryLevel.Basic);

    public static readonly MetricDefinition ExporterSentSamples = MetricDefinition.Counter(
        "otelcol_exporter_sent_profile_samples", SampleUnit,
        "Number of profile samples successfully sent to destination.", TelemetryLevel.Basic);

    public static readonly MetricDefinition ExporterSendFailedSamples = MetricDefinition.Counter(
        "otelcol_exporter_send_failed_profile_samples", SampleUnit,
        "Number of profile samples in failed attempts to send to destination.", TelemetryLevel.Basic);

    public static readonly MetricDefinition ExporterEnqueueFailedSamples = MetricDefinition.Counter(
        "otelcol_exporter_enqueue_failed_profile_samples", SampleUnit,
        "Number of profile samples the exporter could not take in (full queue or backpressure).", TelemetryLevel.Basic);

    public static readonly MetricDefinition ExporterQueueSize = MetricDefinition.Gauge(
        "otelcol_exporter_queue_size", "{batch}", "Current size of the exporter's sending queue.", TelemetryLevel.Basic);

    public static readonly MetricDefinition ExporterQueueCapacity = MetricDefinition.Gauge(
        "otelcol_exporter_queue_capacity", "{batch}", "Fixed capacity of the exporter's sending queue.", TelemetryLevel.Basic);

    public static readonly MetricDefinition ProcessorIncomingItems = MetricDefinition.Counter(
        "otelcol_processor_incoming_items", "{item}", "Number of items (profile samples) passed to the processor.");

    public static readonly MetricDefinition ProcessorOutgoingItems = MetricDefinition.Counter(
        "otelcol_processor_outgoing_items", "{item}", "Number of items (profile samples) emitted from the processor.");

    public static readonly MetricDefinition ProcessUptime = MetricDefinition.Counter(
        "otelcol_process_uptime", "s", "Uptime of the process.", TelemetryLevel.Basic);

    public static readonly MetricDefinition ProcessCpuSeconds = MetricDefinition.Counter(
        "otelcol_process_cpu_seconds", "s", "Total CPU user and system time of the process.", TelemetryLevel.Basic);

    public static readonly MetricDefinition ProcessMemoryRss = MetricDefinition.Gauge(
        "otelcol_process_memory_rss", "By", "Total physical memory (resident set size) of the process.", TelemetryLevel.Basic);

    public static readonly MetricDefinition ProcessRuntimeHeapAlloc = MetricDefinition.Gauge(
        "otelcol_process_runtime_heap_alloc_bytes", "By", "Bytes currently allocated on the managed heap (live objects and garbage not yet collected).");

    public static readonly MetricDefinition ProcessRuntimeTotalAlloc = MetricDefinition.Counter(
        "otelcol_process_runtime_total_alloc_bytes", "By", "Cumulative bytes allocated on the managed heap.");

    public static readonly MetricDefinition ProcessRuntimeTotalSysMemory = MetricDefinition.Gauge(
        "otelcol_process_runtime_total_sys_memory_bytes", "By", "Bytes the garbage collector had committed from the operating system at its last collection (0 before the first).");
}
