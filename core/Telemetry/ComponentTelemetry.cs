using System.Diagnostics;
using System.Diagnostics.Metrics;
using Collector.Core.Components;
using Collector.Telemetry;
using Collector.Telemetry.Exposition;

namespace Collector.Core.Telemetry;

/// <summary>
/// What a component uses to report on itself, handed to it in <see cref="ComponentCreateSettings.Telemetry"/>.
/// Every series it creates carries the component's id under the label named for its kind (<c>receiver</c>,
/// <c>processor</c>, <c>exporter</c>, <c>extension</c>), plus the labels given. Counters are for events the
/// component sees (<c>Counter(...).Add(n)</c>); observable instruments read a value the component already
/// keeps (a public counter property, a queue length) when a scrape asks. Metrics above the configured level
/// are never created. The standard receiver/processor/exporter metrics need none of this: the pipeline graph
/// records them around the component.
/// </summary>
public sealed class ComponentTelemetry
{
    private readonly CollectorTelemetry _collector;
    private readonly Lock _gate = new();
    private ExporterOutcomes? _exporterOutcomes;

    internal ComponentTelemetry(CollectorTelemetry collector, ComponentId id, ComponentKind kind)
    {
        _collector = collector;
        Id = id;
        Kind = kind;
        IdLabel = kind.Noun();
        IdValue = id.ToString();
    }

    public ComponentId Id { get; }

    public ComponentKind Kind { get; }

    /// <summary>The collector's health, which extensions such as <c>health_check</c> report.</summary>
    public PipelineHealth Health => _collector.Health;

    /// <summary>
    /// Sent / send-failed / enqueue-failed counts and the queue gauges of an exporter. <see cref="Helpers.ExporterBase"/>
    /// records them from each export's result; an exporter that queues (and so learns the outcome later) sets its
    /// <c>ReportsOwnOutcomes</c> and records them here itself.
    /// </summary>
    public ExporterOutcomes ExporterOutcomes
    {
        get
        {
            lock (_gate) return _exporterOutcomes ??= new ExporterOutcomes(this);
        }
    }

    internal string IdLabel { get; }

    internal string IdValue { get; }

    /// <summary>A telemetry handle that records nowhere, for components built outside a running collector (tests).</summary>
    public static ComponentTelemetry Unobserved(ComponentId id, ComponentKind kind) =>
        new CollectorTelemetry(TelemetryLevel.None).ForComponent(id, kind);

    /// <summary>True when the configured level produces this metric.</summary>
    public bool IsEnabled(MetricDefinition metric)
    {
        ArgumentNullException.ThrowIfNull(metric);
        return _collector.Meter is not null && metric.Level <= _collector.Level;
    }

    public TelemetryCounter Counter(MetricDefinition metric, params ReadOnlySpan<(string Name, string Value)> labels)
    {
        Require(metric, MetricType.Counter);
        var tags = Tags(labels);
        return new TelemetryCounter(IsEnabled(metric) ? _collector.Meter!.CreateCounter<long>(metric.Name, metric.Unit, metric.Description) : null, tags);
    }

    /// <summary>A counter whose running total the component keeps itself (e.g. a public <c>long</c> property).</summary>
    public void ObservableCounter(MetricDefinition metric, Func<long> total, params ReadOnlySpan<(string Name, string Value)> labels)
    {
        Require(metric, MetricType.Counter);
        if (!IsEnabled(metric)) return;
        var tags = TagArray(labels);
        _collector.Meter!.CreateObservableCounter(metric.Name, () => Observe(total, tags), metric.Unit, metric.Description);
    }

    public void ObservableCounter(MetricDefinition metric, Func<double> total, params ReadOnlySpan<(string Name, string Value)> labels)
    {
        Require(metric, MetricType.Counter);
        if (!IsEnabled(metric)) return;
        var tags = TagArray(labels);
        _collector.Meter!.CreateObservableCounter(metric.Name, () => Observe(total, tags), metric.Unit, metric.Description);
    }

    public void ObservableGauge(MetricDefinition metric, Func<long> value, params ReadOnlySpan<(string Name, string Value)> labels)
    {
        Require(metric, MetricType.Gauge);
        if (!IsEnabled(metric)) return;
        var tags = TagArray(labels);
        _collector.Meter!.CreateObservableGauge(metric.Name, () => Observe(value, tags), metric.Unit, metric.Description);
    }

    public void ObservableGauge(MetricDefinition metric, Func<double> value, params ReadOnlySpan<(string Name, string Value)> labels)
    {
        Require(metric, MetricType.Gauge);
        if (!IsEnabled(metric)) return;
        var tags = TagArray(labels);
        _collector.Meter!.CreateObservableGauge(metric.Name, () => Observe(value, tags), metric.Unit, metric.Description);
    }

    private static void Require(MetricDefinition metric, MetricType type)
    {
        ArgumentNullException.ThrowIfNull(metric);
        if (metric.Type != type) throw new ArgumentException($"{metric.Name} is a {metric.Type.ToString().ToLowerInvariant()}, not a {type.ToString().ToLowerInvariant()}", nameof(metric));
    }

    /// <summary>
    /// A callback that throws loses its series for that scrape instead of failing the whole scrape: one
    /// component's bug must not hide every other metric.
    /// </summary>
    private static IEnumerable<Measurement<T>> Observe<T>(Func<T> read, KeyValuePair<string, object?>[] tags)
        where T : struct
    {
        T value;
        try
        {
            value = read();
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            return [];
        }
        return [new Measurement<T>(value, tags)];
    }

    private TagList Tags(ReadOnlySpan<(string Name, string Value)> labels)
    {
        var tags = new TagList { { IdLabel, IdValue } };
        foreach (var (name, value) in labels) tags.Add(name, value);
        return tags;
    }

    private KeyValuePair<string, object?>[] TagArray(ReadOnlySpan<(string Name, string Value)> labels)
    {
        var tags = new KeyValuePair<string, object?>[labels.Length + 1];
        tags[0] = new(IdLabel, IdValue);
        for (var i = 0; i < labels.Length; i++) tags[i + 1] = new(labels[i].Name, labels[i].Value);
        return tags;
    }
}
