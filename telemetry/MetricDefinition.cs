using Collector.Telemetry.Exposition;

namespace Collector.Telemetry;

/// <summary>
/// What a metric is, independent of who reports it: the instrument name (Collector style, without unit or
/// <c>_total</c>; the exposition adds those), the UCUM unit (<c>s</c>, <c>By</c>, or an annotation such as
/// <c>{sample}</c>), the HELP text, whether it is a counter or a gauge, and the lowest
/// <see cref="TelemetryLevel"/> that produces it.
/// </summary>
public sealed record MetricDefinition
{
    private MetricDefinition(string name, string unit, string description, MetricType type, TelemetryLevel level)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("a metric needs a name", nameof(name));
        if (string.IsNullOrWhiteSpace(description)) throw new ArgumentException($"metric {name} needs a description: it becomes its HELP text", nameof(description));
        if (level == TelemetryLevel.None) throw new ArgumentException($"metric {name} cannot be at level none", nameof(level));
        Name = name;
        Unit = unit;
        Description = description;
        Type = type;
        Level = level;
    }

    public string Name { get; }

    public string Unit { get; }

    public string Description { get; }

    public MetricType Type { get; }

    public TelemetryLevel Level { get; }

    /// <summary>The family name it is exposed under, e.g. <c>otelcol_process_uptime_seconds</c>.</summary>
    public string PrometheusName => PrometheusNames.Family(Name, Unit, Type);

    public static MetricDefinition Counter(string name, string unit, string description, TelemetryLevel level = TelemetryLevel.Normal) =>
        new(name, unit, description, MetricType.Counter, level);

    public static MetricDefinition Gauge(string name, string unit, string description, TelemetryLevel level = TelemetryLevel.Normal) =>
        new(name, unit, description, MetricType.Gauge, level);
}
