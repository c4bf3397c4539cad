using Collector.Core.Telemetry;
using Collector.Telemetry;

namespace Collector.Processors.PidLifecycle;

/// <summary>
/// Metrics of the pid_lifecycle processor beyond those core already defines for it
/// (<see cref="ProfilerMetrics.TrackedProcesses"/>, <see cref="ProfilerMetrics.ForgottenProcesses"/>,
/// <see cref="ProfilerMetrics.MissingStateCleanups"/>, <see cref="ProfilerMetrics.MapsRescans"/>).
/// </summary>
internal static class PidLifecycleMetrics
{
    public const string TransitionLabel = "transition";
    public const string OutcomeLabel = "outcome";

    public const string OutcomeMapped = "mapped";
    public const string OutcomeOriginOnly = "origin_only";
    public const string OutcomeUnmapped = "unmapped";

    public static readonly MetricDefinition StateTransitions = MetricDefinition.Counter(
        "otelcol_processor_process_state_transitions", "{transition}",
        "Process table state changes, by transition (unknown_to_live, live_to_exited, exited_to_forgotten, live_to_forgotten).");

    public static readonly MetricDefinition EvictedProcesses = MetricDefinition.Counter(
        "otelcol_processor_evicted_processes", "{process}", "Processes dropped from the table because it reached max_processes.");

    public static readonly MetricDefinition UserFrames = MetricDefinition.Counter(
        "otelcol_processor_user_frames", "{frame}",
        "User frames by outcome: mapped (in a known mapping), origin_only (from the kernel's build id and offset), unmapped.");

    public static readonly MetricDefinition HeldFiles = MetricDefinition.Gauge(
        "otelcol_processor_held_files", "{file}", "Mapped files held open so they stay readable after their processes exit.");
}
