using Collector.Protocol.Http;
using Collector.Telemetry.Exposition;
using Prometheus;

namespace Collector.Protocol.Tests.Http;

public class PrometheusRegistryMirrorTests
{
    [Fact]
    public async Task Shows_counters_and_gauges_with_the_values_of_the_source()
    {
        var source = new ChangingSource();
        source.Families = [Counter("events", ("kind", "a", 3), ("kind", "b", 5)), Gauge("queue_size", 7.5)];
        var text = await Scrape(new PrometheusRegistryMirror(source).Refresh());

        Assert.Contains("# TYPE events_total counter\n", text, StringComparison.Ordinal);
        Assert.Contains("events_total{kind=\"a\"} 3\n", text, StringComparison.Ordinal);
        Assert.Contains("events_total{kind=\"b\"} 5\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE queue_size gauge\nqueue_size 7.5\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Series_that_went_away_are_removed_and_a_counter_that_went_down_starts_again()
    {
        var source = new ChangingSource { Families = [Counter("events", ("kind", "a", 10), ("kind", "b", 5))] };
        var mirror = new PrometheusRegistryMirror(source);
        await Scrape(mirror.Refresh());

        source.Families = [Counter("events", ("kind", "a", 2))];
        var text = await Scrape(mirror.Refresh());

        Assert.Contains("events_total{kind=\"a\"} 2\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("kind=\"b\"", text, StringComparison.Ordinal);

        source.Families = [];
        Assert.DoesNotContain("events_total{", await Scrape(mirror.Refresh()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_label_with_an_empty_value_is_left_out_even_when_other_series_of_the_family_have_it()
    {
        var source = new ChangingSource { Families = [Counter("events", ("kind", "a", 1))] };
        var mirror = new PrometheusRegistryMirror(source);
        await Scrape(mirror.Refresh());

        source.Families = [new MetricFamily("events", MetricType.Counter, "Events.", "", [
            new MetricSeries([new MetricLabel("kind", "a"), new MetricLabel("transport", "")], 1),
            new MetricSeries([new MetricLabel("kind", "a"), new MetricLabel("transport", "grpc")], 4)])];
        var text = await Scrape(mirror.Refresh());

        Assert.Contains("events_total{kind=\"a\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("events_total{kind=\"a\",transport=\"grpc\"} 4\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_and_label_values_are_escaped_as_the_text_format_requires()
    {
        var family = new MetricFamily("odd", MetricType.Gauge, "Back\\slash and\nnewline.", "", [new MetricSeries([new MetricLabel("function", "a\"b\\c\nd")], 1)]);
        var text = await Scrape(new PrometheusRegistryMirror(new ChangingSource { Families = [family] }).Refresh());

        Assert.Contains("# HELP odd Back\\\\slash and\\nnewline.\n", text, StringComparison.Ordinal);
        Assert.Contains("odd{function=\"a\\\"b\\\\c\\nd\"} 1\n", text, StringComparison.Ordinal);
    }

    private static MetricFamily Counter(string name, params (string Label, string Value, double Count)[] series) =>
        new(name, MetricType.Counter, "Events.", "", [.. series.Select(s => new MetricSeries([new MetricLabel(s.Label, s.Value)], s.Count))]);

    private static MetricFamily Gauge(string name, double value) => new(name, MetricType.Gauge, "Size.", "", [new MetricSeries([], value)]);

    private static async Task<string> Scrape(CollectorRegistry registry)
    {
        using var stream = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(stream, ExpositionFormat.PrometheusText);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private sealed class ChangingSource : IMetricsSource
    {
        public IReadOnlyList<MetricFamily> Families { get; set; } = [];

        public IReadOnlyList<MetricFamily> Collect() => Families;
    }
}
