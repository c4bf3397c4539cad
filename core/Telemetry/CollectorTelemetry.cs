using System.Diagnostics.Metrics;
using Collector.Core.Components;
using Collector.Telemetry;
using Collector.Telemetry.Collection;
using Collector.Telemetry.Exposition;

namespace Collector.Core.Telemetry;

/// <summary>
/// The self-telemetry of one running collector: a <see cref="System.Diagnostics.Metrics.Meter"/> of its own (so
/// two collectors in one test process never mix), the store that a scrape reads, the process metrics, and the
/// pipelines' health. Create it before the pipeline graph, so no instrument is made before it is listened to.
/// At level none nothing is created and every instrument a component asks for is inert; health still works.
/// </summary>
public sealed class CollectorTelemetry : IMetricsSource, IDisposable
{
    public const string MeterName = "Collector";

    private readonly MetricStore? _store;

    public CollectorTelemetry(TelemetryLevel level, TimeProvider? time = null)
    {
        Level = level;
        Health = new PipelineHealth(time);
        if (level == TelemetryLevel.None) return;
        Meter = new Meter(MeterName);
        _store = new MetricStore(Meter);
        ProcessMetrics.Register(Meter, level, time ?? TimeProvider.System);
    }

    public TelemetryLevel Level { get; }

    public PipelineHealth Health { get; }

    internal Meter? Meter { get; }

    public ComponentTelemetry ForComponent(ComponentId id, ComponentKind kind) => new(this, id, kind);

    public IReadOnlyList<MetricFamily> Collect() => _store?.Collect() ?? [];

    public void Dispose()
    {
        _store?.Dispose();
        Meter?.Dispose();
    }
}
