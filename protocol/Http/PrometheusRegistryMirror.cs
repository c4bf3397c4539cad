using Collector.Telemetry.Exposition;
using Prometheus;

namespace Collector.Protocol.Http;

/// <summary>
/// A prometheus-net registry that shows what an <see cref="IMetricsSource"/> holds: at each scrape it reads the
/// source's families and brings the registry's counters and gauges to the same values, adding series that
/// appeared and removing those that went away. The source stays the one place values live (components record
/// through System.Diagnostics.Metrics, the prometheus exporter keeps its own series); prometheus-net writes the
/// exposition and negotiates its format.
/// <para>A label with an empty value is left out, as the docs promise: prometheus-net fixes a metric's label
/// names, but lets one family hold a metric per label-name set, so each series goes to the metric of the labels
/// it has values for.</para>
/// </summary>
public sealed class PrometheusRegistryMirror
{
    private readonly IMetricsSource _source;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, MirroredFamily> _families = new(StringComparer.Ordinal);
    private CollectorRegistry _registry = new();

    public PrometheusRegistryMirror(IMetricsSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        _source = source;
    }

    /// <summary>
    /// Reads the source and returns a registry showing exactly its families. It is the same registry as before,
    /// updated, unless a family changed its type, which a registered metric cannot: then a new one is built.
    /// It is our own registry, not the library's default, which would add process and .NET metrics that
    /// otelcol_process_* already report under the documented names.
    /// </summary>
    public CollectorRegistry Refresh()
    {
        var families = _source.Collect();
        lock (_gate)
        {
            if (families.Any(f => _families.TryGetValue(f.Name, out var known) && known.Type != f.Type))
            {
                _registry = new CollectorRegistry();
                _families.Clear();
            }
            var factory = Metrics.WithCustomRegistry(_registry);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var family in families)
            {
                seen.Add(family.Name);
                if (!_families.TryGetValue(family.Name, out var mirrored))
                {
                    mirrored = new MirroredFamily(factory, family.Name, family.Type, EscapeHelp(family.Help));
                    _families[family.Name] = mirrored;
                }
                mirrored.Update(family);
            }
            foreach (var (name, mirrored) in _families)
            {
                if (!seen.Contains(name)) mirrored.Clear();
            }
            return _registry;
        }
    }

    /// <summary>prometheus-net writes HELP text as given; both formats want backslash and newline escaped.</summary>
    private static string EscapeHelp(string help) => help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary>One family in the registry: its metrics by label-name set, and the series it currently shows.</summary>
    private sealed class MirroredFamily(MetricFactory factory, string name, MetricType type, string help)
    {
        private readonly Dictionary<SeriesKey, Prometheus.Collector> _metrics = [];
        private HashSet<SeriesKey> _shown = [];

        public MetricType Type => type;

        public void Update(MetricFamily family)
        {
            var shown = new HashSet<SeriesKey>();
            foreach (var series in family.Series)
            {
                var present = series.Labels.Where(l => l.Value.Length > 0).ToArray();
                var names = new SeriesKey([.. present.Select(l => l.Name)]);
                var values = new SeriesKey([.. present.Select(l => l.Value)]);
                shown.Add(new SeriesKey([.. names.Parts, "\0", .. values.Parts]));
                var metric = Metric(names);
                if (metric is Counter counter)
                {
                    var child = counter.WithLabels(values.Parts);
                    // A counter that went down was restarted (an expired series that came back): start it again.
                    if (series.Value < child.Value)
                    {
                        counter.RemoveLabelled(values.Parts);
                        child = counter.WithLabels(values.Parts);
                    }
                    child.IncTo(series.Value);
                }
                else
                {
                    ((Gauge)metric).WithLabels(values.Parts).Set(series.Value);
                }
            }
            foreach (var gone in _shown)
            {
                if (!shown.Contains(gone)) Remove(gone);
            }
            _shown = shown;
        }

        public void Clear()
        {
            foreach (var series in _shown) Remove(series);
            _shown = [];
        }

        private Prometheus.Collector Metric(SeriesKey labelNames)
        {
            if (_metrics.TryGetValue(labelNames, out var metric)) return metric;
            // prometheus-net names a counter by its sample name (…_total) and drops the suffix for the OpenMetrics family.
            metric = type == MetricType.Counter
                ? factory.CreateCounter(name + "_total", help, labelNames.Parts)
                : factory.CreateGauge(name, help, labelNames.Parts);
            _metrics.Add(labelNames, metric);
            return metric;
        }

        /// <summary>A shown series' key is its label names, a separator, then its values.</summary>
        private void Remove(SeriesKey series)
        {
            var separator = Array.IndexOf(series.Parts, "\0");
            var names = new SeriesKey(series.Parts[..separator]);
            var values = series.Parts[(separator + 1)..];
            if (_metrics[names] is Counter counter) counter.RemoveLabelled(values);
            else ((Gauge)_metrics[names]).RemoveLabelled(values);
        }
    }

    /// <summary>Strings compared by content, so label sets and series are recognized from one scrape to the next.</summary>
    private readonly record struct SeriesKey(string[] Parts)
    {
        public bool Equals(SeriesKey other) => Parts.AsSpan().SequenceEqual(other.Parts);

        public override int GetHashCode()
        {
            var hash = new HashCode();
            foreach (var part in Parts) hash.Add(part, StringComparer.Ordinal);
            return hash.ToHashCode();
        }
    }
}
