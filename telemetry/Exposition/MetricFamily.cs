namespace Collector.Telemetry.Exposition;

/// <summary>The two Prometheus metric types this collector exposes.</summary>
public enum MetricType
{
    /// <summary>Only goes up (or restarts from zero); exposed with a <c>_total</c> sample name.</summary>
    Counter,

    /// <summary>A value that may go up and down.</summary>
    Gauge,
}

/// <summary>One label of a series: a Prometheus label name and its value (any text; escaped on output).</summary>
public readonly record struct MetricLabel(string Name, string Value);

/// <summary>One series of a family: its labels, in output order, and its current value.</summary>
public sealed record MetricSeries(IReadOnlyList<MetricLabel> Labels, double Value);

/// <summary>
/// A metric family ready to be written: <see cref="Name"/> is already a valid Prometheus name that ends with
/// the unit (e.g. <c>otelcol_process_memory_rss_bytes</c>) and never with <c>_total</c>, which the writer adds
/// to counter samples. <see cref="Unit"/> is the Prometheus unit word (<c>seconds</c>, <c>bytes</c>) or empty.
/// </summary>
public sealed record MetricFamily(string Name, MetricType Type, string Help, string Unit, IReadOnlyList<MetricSeries> Series);
