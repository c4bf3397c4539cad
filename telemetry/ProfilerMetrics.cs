namespace Collector.Telemetry;

/// <summary>
/// This profiler's own metrics, named in the Collector's style (<c>otelcol_&lt;kind&gt;_&lt;what&gt;</c>, a UCUM
/// unit, no <c>_total</c> in the name). The components that report them record them through
/// <see cref="ComponentTelemetry"/>, which labels every series with the component id.
/// </summary>
public static class ProfilerMetrics
{
    /// <summary>Label for symbol cache metrics naming the cache (e.g. <c>elf</c>, <c>kallsyms</c>, <c>perf_map</c>).</summary>
    public const string CacheLabel = "cache";

    public static readonly MetricDefinition RingBufferLostRecords = MetricDefinition.Counter(
        "otelcol_receiver_ring_buffer_lost_records", "{record}",
        "Records the kernel dropped because the ring buffer was full (samples and process events never seen).", TelemetryLevel.Basic);

    public static readonly MetricDefinition CollectedSamples = MetricDefinition.Counter(
        "otelcol_receiver_collected_profile_samples", CollectorMetrics.SampleUnit,
        "Samples a receiver read from its source (for eBPF: the kernel), before batching; compare with accepted.");

    /// <summary>Label of <see cref="TruncatedStacks"/>: why the walk stopped early.</summary>
    public const string ReasonLabel = "reason";

    public static readonly MetricDefinition TruncatedStacks = MetricDefinition.Counter(
        "otelcol_receiver_truncated_stacks", "{stack}",
        "Stacks that may lack their outermost frames, by reason: depth_limit, no_table (no unwind table yet, frame pointers used), "
        + "no_mapping, read_fault, unsupported.");

    public static readonly MetricDefinition UnwindTables = MetricDefinition.Gauge(
        "otelcol_receiver_unwind_tables", "{table}", "Unwind tables loaded into the kernel (one per executable file with call-frame information).");

    public static readonly MetricDefinition UnwindTableBytes = MetricDefinition.Gauge(
        "otelcol_receiver_unwind_table_memory", "By", "Memory of the unwinder: kernel map memory of tables and process mappings, by kind.");

    public static readonly MetricDefinition UnwindTableEvictions = MetricDefinition.Counter(
        "otelcol_receiver_unwind_table_evictions", "{table}", "Unwind tables unloaded to stay within the memory budget (least recently used first).");

    public static readonly MetricDefinition UnwindTableFailures = MetricDefinition.Counter(
        "otelcol_receiver_unwind_table_failures", "{file}", "Files whose unwind table could not be built or loaded (unreadable, not ELF, no call-frame information, kernel refused).");

    public static readonly MetricDefinition UnwindProcesses = MetricDefinition.Gauge(
        "otelcol_receiver_unwind_processes", "{process}", "Processes whose mappings the kernel unwinder holds.");

    public static readonly MetricDefinition PythonProcesses = MetricDefinition.Gauge(
        "otelcol_receiver_python_processes", "{process}", "Processes whose CPython frames the kernel walks at each sample.");

    public static readonly MetricDefinition PythonWalks = MetricDefinition.Counter(
        "otelcol_receiver_python_walks", "{sample}", "Samples of CPython processes whose interpreter state the kernel read.");

    public static readonly MetricDefinition PythonWalkFailures = MetricDefinition.Counter(
        "otelcol_receiver_python_walk_failures", "{sample}", "Samples of CPython processes left with native frames only, by reason.");

    public static readonly MetricDefinition PythonDetections = MetricDefinition.Counter(
        "otelcol_receiver_python_detections", "{process}", "Processes examined for CPython, by outcome.");

    public static readonly MetricDefinition WatermarkLag = MetricDefinition.Gauge(
        "otelcol_receiver_watermark_lag", "s", "How far the published watermark trails the current kernel time.");

    public static readonly MetricDefinition CorruptLines = MetricDefinition.Counter(
        "otelcol_receiver_corrupt_lines", "{line}", "Input lines that were not valid exports (truncated, damaged, too long) and were skipped.");

    public static readonly MetricDefinition TrackedProcesses = MetricDefinition.Gauge(
        "otelcol_processor_tracked_processes", "{process}", "Processes in the process table (live, or exited and waiting for the watermark).");

    public static readonly MetricDefinition ForgottenProcesses = MetricDefinition.Counter(
        "otelcol_processor_forgotten_processes", "{process}", "Exited processes whose state was dropped once the watermark passed their exit.");

    public static readonly MetricDefinition MissingStateCleanups = MetricDefinition.Counter(
        "otelcol_processor_missing_state_cleanups", "{cleanup}", "Exit cleanups that found no state to remove (a counted no-op, never an error).");

    public static readonly MetricDefinition MapsRescans = MetricDefinition.Counter(
        "otelcol_processor_maps_rescans", "{rescan}", "Rescans of a process's memory maps after an address fell in no known mapping.");

    public static readonly MetricDefinition SymbolCacheHits = MetricDefinition.Counter(
        "otelcol_processor_symbol_cache_hits", "{lookup}", "Symbol lookups answered from a cache.");

    public static readonly MetricDefinition SymbolCacheMisses = MetricDefinition.Counter(
        "otelcol_processor_symbol_cache_misses", "{lookup}", "Symbol lookups that had to resolve from the source.");

    public static readonly MetricDefinition SymbolCacheEvictions = MetricDefinition.Counter(
        "otelcol_processor_symbol_cache_evictions", "{entry}", "Entries removed from a symbol cache (expired or over capacity).");

    public static readonly MetricDefinition SymbolCacheEntries = MetricDefinition.Gauge(
        "otelcol_processor_symbol_cache_entries", "{entry}", "Entries currently held by a symbol cache.");

    public static readonly MetricDefinition UnnamedFrames = MetricDefinition.Counter(
        "otelcol_processor_unnamed_frames", "{frame}", "Frames the symbolizer could not name (exported with an address only).");

    public static readonly MetricDefinition ExportRequestBytes = MetricDefinition.Counter(
        "otelcol_exporter_export_request_bytes", "By", "Bytes of export requests sent, as they went on the wire (after compression, if any).");

    public static readonly MetricDefinition ProcessRuntimeGcCollections = MetricDefinition.Counter(
        "otelcol_process_runtime_gc_collections", "{collection}", "Garbage collections of the .NET runtime, by generation.", TelemetryLevel.Detailed);

    public static readonly MetricDefinition ProcessRuntimeThreadPoolQueueLength = MetricDefinition.Gauge(
        "otelcol_process_runtime_thread_pool_queue_length", "{work_item}", "Work items waiting for a thread pool thread.", TelemetryLevel.Detailed);
}
