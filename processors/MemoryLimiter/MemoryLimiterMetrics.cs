using Collector.Telemetry;

namespace Collector.Processors.MemoryLimiter;

/// <summary>The Collector's memory_limiter counts (<c>otelcol_processor_memory_limiter_{accepted,refused}_*</c>), for profiles in samples.</summary>
internal static class MemoryLimiterMetrics
{
    public static readonly MetricDefinition AcceptedSamples = MetricDefinition.Counter(
        "otelcol_processor_memory_limiter_accepted_profile_samples", CollectorMetrics.SampleUnit,
        "Number of profile samples the memory limiter passed on.", TelemetryLevel.Basic);

    public static readonly MetricDefinition RefusedSamples = MetricDefinition.Counter(
        "otelcol_processor_memory_limiter_refused_profile_samples", CollectorMetrics.SampleUnit,
        "Number of profile samples the memory limiter refused (retryable) because memory usage was above the soft limit.", TelemetryLevel.Basic);
}
