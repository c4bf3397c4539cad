using Collector.Core.Telemetry;
using Collector.Processors.PidLifecycle;
using Collector.Processors.Tests.PidLifecycle.Support;
using Collector.Telemetry;
using Collector.Telemetry.Exposition;
using static Collector.Processors.Tests.PidLifecycle.Support.Harness;

namespace Collector.Processors.Tests.PidLifecycle;

public sealed class PidLifecycleTelemetryTests : IDisposable
{
    private readonly FakeProc _proc = new();
    private readonly CollectorTelemetry _telemetry = new(TelemetryLevel.Normal);

    public void Dispose()
    {
        _telemetry.Dispose();
        _proc.Dispose();
    }

    [Fact]
    public void Table_size_transitions_no_ops_rescans_and_frame_outcomes_reach_self_telemetry()
    {
        _proc.AddProcess(21, 210, _proc.CopyExecutable("/bin/true", "app"));
        using var harness = new Harness(_proc.Root, telemetry: _telemetry);
        harness.Time.Advance(TimeSpan.FromSeconds(5));

        harness.Send([Sample(21, 210, 10, [0x401000, 0x900000])], [Exit(99, 990, 5)]);
        harness.Time.Advance(TimeSpan.FromSeconds(5));
        harness.Send([Sample(21, 210, 20, [0x900000])]);
        harness.Send([], [Exit(21, 210, 30)]);

        var families = _telemetry.Collect();
        Assert.Equal(1, Value(families, ProfilerMetrics.TrackedProcesses));
        Assert.Equal(1, Value(families, PidLifecycleMetrics.StateTransitions, (PidLifecycleMetrics.TransitionLabel, "unknown_to_live")));
        Assert.Equal(1, Value(families, PidLifecycleMetrics.StateTransitions, (PidLifecycleMetrics.TransitionLabel, "live_to_exited")));
        Assert.Equal(0, Value(families, PidLifecycleMetrics.StateTransitions, (PidLifecycleMetrics.TransitionLabel, "exited_to_forgotten")));
        Assert.Equal(1, Value(families, ProfilerMetrics.MissingStateCleanups));
        Assert.Equal(1, Value(families, ProfilerMetrics.MapsRescans));
        Assert.Equal(1, Value(families, PidLifecycleMetrics.UserFrames, (PidLifecycleMetrics.OutcomeLabel, PidLifecycleMetrics.OutcomeMapped)));
        Assert.Equal(2, Value(families, PidLifecycleMetrics.UserFrames, (PidLifecycleMetrics.OutcomeLabel, PidLifecycleMetrics.OutcomeUnmapped)));
        Assert.Equal(0, Value(families, PidLifecycleMetrics.EvictedProcesses));
        Assert.Equal(1, Value(families, PidLifecycleMetrics.HeldFiles));

        harness.Send([], watermark: 31);
        families = _telemetry.Collect();
        Assert.Equal(0, Value(families, ProfilerMetrics.TrackedProcesses));
        Assert.Equal(1, Value(families, ProfilerMetrics.ForgottenProcesses));
        Assert.Equal(0, Value(families, PidLifecycleMetrics.HeldFiles));
    }

    private static double? Value(IReadOnlyList<MetricFamily> families, MetricDefinition metric, params (string Name, string Value)[] labels)
    {
        var wanted = labels.Append(("processor", "pid_lifecycle")).OrderBy(l => l.Item1, StringComparer.Ordinal)
            .Select(l => new MetricLabel(l.Item1, l.Item2)).ToList();
        var family = families.FirstOrDefault(f => f.Name == metric.PrometheusName);
        return family?.Series.FirstOrDefault(s => s.Labels.SequenceEqual(wanted))?.Value;
    }
}
