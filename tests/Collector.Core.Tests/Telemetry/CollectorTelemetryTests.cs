using Collector.Core.Components;
using Collector.Core.Telemetry;
using Collector.Telemetry;
using Collector.Telemetry.Exposition;

namespace Collector.Core.Tests.Telemetry;

public sealed class CollectorTelemetryTests : IDisposable
{
    private static readonly MetricDefinition Hits = MetricDefinition.Counter("otelcol_test_hits", "{lookup}", "Test hits.");
    private static readonly MetricDefinition Entries = MetricDefinition.Gauge("otelcol_test_entries", "{entry}", "Test entries.");
    private static readonly MetricDefinition Detailed = MetricDefinition.Counter("otelcol_test_detailed", "{x}", "Only when detailed.", TelemetryLevel.Detailed);

    private readonly CollectorTelemetry _telemetry = new(TelemetryLevel.Normal);

    public void Dispose() => _telemetry.Dispose();

    [Fact]
    public void A_counter_is_labelled_with_its_component_and_exists_at_zero_before_the_first_event()
    {
        var symbolizer = _telemetry.ForComponent(ComponentId.Parse("symbolization/fast"), ComponentKind.Processor);
        var counter = symbolizer.Counter(Hits, (ProfilerMetrics.CacheLabel, "elf"));

        Assert.Equal(0, Scrape.Value(_telemetry.Collect(), "otelcol_test_hits", ("processor", "symbolization/fast"), ("cache", "elf")));
        counter.Add(3);
        counter.Add(4);
        var family = Scrape.Family(_telemetry.Collect(), "otelcol_test_hits")!;
        Assert.Equal(MetricType.Counter, family.Type);
        Assert.Equal("Test hits.", family.Help);
        Assert.Equal(7, Assert.Single(family.Series).Value);
    }

    [Fact]
    public void Components_reporting_one_metric_share_a_family_and_the_same_labels_add_up()
    {
        var a = _telemetry.ForComponent(ComponentId.Of("one"), ComponentKind.Receiver).Counter(Hits);
        var b = _telemetry.ForComponent(ComponentId.Of("two"), ComponentKind.Receiver).Counter(Hits);
        // A processor in two pipelines is two instances with one id: one series.
        var c1 = _telemetry.ForComponent(ComponentId.Of("three"), ComponentKind.Receiver).Counter(Hits);
        var c2 = _telemetry.ForComponent(ComponentId.Of("three"), ComponentKind.Receiver).Counter(Hits);
        a.Add(1); b.Add(2); c1.Add(10); c2.Add(20);

        var families = _telemetry.Collect();
        Assert.Single(families, f => f.Name == "otelcol_test_hits");
        Assert.Equal(1, Scrape.Value(families, "otelcol_test_hits", ("receiver", "one")));
        Assert.Equal(2, Scrape.Value(families, "otelcol_test_hits", ("receiver", "two")));
        Assert.Equal(30, Scrape.Value(families, "otelcol_test_hits", ("receiver", "three")));
    }

    [Fact]
    public void Observable_instruments_read_the_components_own_values_at_each_scrape()
    {
        long total = 5;
        var entries = 2.5;
        var exporter = _telemetry.ForComponent(ComponentId.Of("file"), ComponentKind.Exporter);
        exporter.ObservableCounter(Hits, () => total);
        exporter.ObservableGauge(Entries, () => entries);

        Assert.Equal(5, Scrape.Value(_telemetry.Collect(), "otelcol_test_hits", ("exporter", "file")));
        total = 9;
        entries = 1;
        var families = _telemetry.Collect();
        Assert.Equal(9, Scrape.Value(families, "otelcol_test_hits", ("exporter", "file")));
        Assert.Equal(1, Scrape.Value(families, "otelcol_test_entries", ("exporter", "file")));
        Assert.Equal(MetricType.Gauge, Scrape.Family(families, "otelcol_test_entries")!.Type);
    }

    [Fact]
    public void A_throwing_callback_loses_its_own_series_only()
    {
        var component = _telemetry.ForComponent(ComponentId.Of("broken"), ComponentKind.Processor);
        component.ObservableGauge(Entries, () => throw new InvalidOperationException("bug"));
        component.Counter(Hits).Add(1);

        var families = _telemetry.Collect();
        Assert.Null(Scrape.Family(families, "otelcol_test_entries"));
        Assert.Equal(1, Scrape.Value(families, "otelcol_test_hits", ("processor", "broken")));
    }

    [Fact]
    public void Metrics_above_the_configured_level_are_never_created()
    {
        using var basic = new CollectorTelemetry(TelemetryLevel.Basic);
        var component = basic.ForComponent(ComponentId.Of("x"), ComponentKind.Processor);
        var normal = component.Counter(Hits);
        normal.Add(1);
        component.Counter(Detailed).Add(1);

        Assert.False(normal.Enabled);
        var names = basic.Collect().Select(f => f.Name).ToList();
        Assert.DoesNotContain("otelcol_test_hits", names);
        Assert.DoesNotContain("otelcol_test_detailed", names);
        Assert.Contains("otelcol_process_uptime_seconds", names);
        Assert.DoesNotContain("otelcol_process_runtime_gc_collections", names);
    }

    [Fact]
    public void Level_none_collects_nothing_and_instruments_are_inert()
    {
        using var none = new CollectorTelemetry(TelemetryLevel.None);
        var counter = none.ForComponent(ComponentId.Of("x"), ComponentKind.Receiver).Counter(Hits);
        counter.Add(5);
        Assert.False(counter.Enabled);
        Assert.Empty(none.Collect());
    }

    [Fact]
    public void Two_collectors_in_one_process_do_not_see_each_others_metrics()
    {
        using var other = new CollectorTelemetry(TelemetryLevel.Normal);
        other.ForComponent(ComponentId.Of("elsewhere"), ComponentKind.Receiver).Counter(Hits).Add(1);
        Assert.Null(Scrape.Family(_telemetry.Collect(), "otelcol_test_hits"));
    }

    [Fact]
    public void Process_metrics_are_present_with_prometheus_names_and_plausible_values()
    {
        var families = _telemetry.Collect();
        Assert.True(Scrape.Value(families, "otelcol_process_uptime_seconds") > 0);
        Assert.True(Scrape.Value(families, "otelcol_process_cpu_seconds") > 0);
        Assert.True(Scrape.Value(families, "otelcol_process_memory_rss_bytes") > 1_000_000);
        Assert.Equal("bytes", Scrape.Family(families, "otelcol_process_memory_rss_bytes")!.Unit);
        Assert.Equal(MetricType.Counter, Scrape.Family(families, "otelcol_process_cpu_seconds")!.Type);
        Assert.NotNull(Scrape.Value(families, "otelcol_process_runtime_total_alloc_bytes"));
    }

    [Fact]
    public void The_wrong_instrument_kind_for_a_definition_is_refused()
    {
        var component = _telemetry.ForComponent(ComponentId.Of("x"), ComponentKind.Receiver);
        Assert.Throws<ArgumentException>(() => component.Counter(Entries));
        Assert.Throws<ArgumentException>(() => component.ObservableGauge(Hits, () => 1L));
    }
}
