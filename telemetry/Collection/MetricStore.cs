using System.Diagnostics.Metrics;
using System.Globalization;
using Collector.Telemetry.Exposition;

namespace Collector.Telemetry.Collection;

/// <summary>
/// Listens to every instrument of one <see cref="Meter"/> and keeps their series in memory, so a scrape can
/// read them: synchronous instruments are summed as they record, observable ones are asked at scrape time.
/// Instruments that share a name (one per component) form one family; series with the same labels, such as
/// a processor configured in two pipelines, are added together.
/// </summary>
public sealed class MetricStore : IMetricsSource, IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Lock _gate = new();
    private readonly List<InstrumentSeries> _instruments = [];

    public MetricStore(Meter meter)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (!ReferenceEquals(instrument.Meter, meter)) return;
            var series = new InstrumentSeries(instrument);
            lock (_gate) _instruments.Add(series);
            listener.EnableMeasurementEvents(instrument, series);
        };
        _listener.SetMeasurementEventCallback<long>(static (_, value, tags, state) => ((InstrumentSeries)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<int>(static (_, value, tags, state) => ((InstrumentSeries)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<double>(static (_, value, tags, state) => ((InstrumentSeries)state!).Record(value, tags));
        _listener.Start();
    }

    public IReadOnlyList<MetricFamily> Collect()
    {
        List<InstrumentSeries> instruments;
        // One scrape at a time asks the observable instruments, so their last values belong to this scrape.
        lock (_gate)
        {
            _listener.RecordObservableInstruments();
            instruments = [.. _instruments];
        }

        var families = new List<MetricFamily>();
        foreach (var group in instruments.GroupBy(i => i.Instrument.Name, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var first = group.First().Instrument;
            var type = IsCounter(first) ? MetricType.Counter : MetricType.Gauge;
            var values = new Dictionary<string, (MetricLabel[] Labels, double Value)>(StringComparer.Ordinal);
            foreach (var instrument in group)
            {
                foreach (var series in instrument.Snapshot)
                {
                    var labels = Labels(series.Tags);
                    var key = string.Join('\u0001', labels.Select(l => l.Name + "\u0002" + l.Value));
                    values[key] = values.TryGetValue(key, out var existing) ? (labels, existing.Value + series.Value) : (labels, series.Value);
                }
            }
            if (values.Count == 0) continue;
            var ordered = values.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => new MetricSeries(v.Value.Labels, v.Value.Value)).ToList();
            families.Add(new MetricFamily(
                PrometheusNames.Family(first.Name, first.Unit ?? "", type), type, first.Description ?? first.Name,
                PrometheusNames.UnitWord(first.Unit ?? ""), ordered));
        }
        return families;
    }

    public void Dispose() => _listener.Dispose();

    private static bool IsCounter(Instrument instrument)
    {
        var definition = instrument.GetType().IsGenericType ? instrument.GetType().GetGenericTypeDefinition() : instrument.GetType();
        return definition == typeof(Counter<>) || definition == typeof(ObservableCounter<>);
    }

    /// <summary>Labels sorted by name, so the same set recorded in another order is the same series.</summary>
    private static MetricLabel[] Labels(KeyValuePair<string, object?>[] tags)
    {
        var labels = new MetricLabel[tags.Length];
        for (var i = 0; i < tags.Length; i++)
        {
            labels[i] = new MetricLabel(PrometheusNames.Label(tags[i].Key), Convert.ToString(tags[i].Value, CultureInfo.InvariantCulture) ?? "");
        }
        Array.Sort(labels, static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        return labels;
    }
}
