using Collector.Telemetry;
using Collector.Telemetry.Exposition;

namespace Collector.Telemetry.Tests.Exposition;

public class PrometheusNamesTests
{
    [Theory]
    [InlineData("otelcol_process_uptime", "s", MetricType.Counter, "otelcol_process_uptime_seconds")]
    [InlineData("otelcol_process_cpu_seconds", "s", MetricType.Counter, "otelcol_process_cpu_seconds")]
    [InlineData("otelcol_process_memory_rss", "By", MetricType.Gauge, "otelcol_process_memory_rss_bytes")]
    [InlineData("otelcol_receiver_accepted_profile_samples", "{sample}", MetricType.Counter, "otelcol_receiver_accepted_profile_samples")]
    [InlineData("requests_total", "1", MetricType.Counter, "requests")]
    [InlineData("requests_total", "", MetricType.Gauge, "requests_total")]
    [InlineData("http.server.duration", "ms", MetricType.Gauge, "http_server_duration_milliseconds")]
    [InlineData("9lives", "", MetricType.Gauge, "_9lives")]
    [InlineData("ns:metric-name", "", MetricType.Gauge, "ns:metric_name")]
    public void Families_follow_prometheus_naming(string name, string unit, MetricType type, string expected) =>
        Assert.Equal(expected, PrometheusNames.Family(name, unit, type));

    [Theory]
    [InlineData("otel.signal", "otel_signal")]
    [InlineData("a:b", "a_b")]
    [InlineData("1st", "_1st")]
    public void Label_names_are_sanitized(string name, string expected) => Assert.Equal(expected, PrometheusNames.Label(name));

    [Fact]
    public void Every_defined_metric_has_a_valid_name_and_help()
    {
        var definitions = typeof(CollectorMetrics).GetFields().Concat(typeof(ProfilerMetrics).GetFields())
            .Where(f => f.FieldType == typeof(MetricDefinition)).Select(f => (MetricDefinition)f.GetValue(null)!).ToList();

        Assert.True(definitions.Count >= 30, $"only {definitions.Count} definitions found");
        Assert.Equal(definitions.Count, definitions.Select(d => d.Name).Distinct().Count());
        Assert.All(definitions, d =>
        {
            Assert.Matches("^otelcol_[a-z0-9_]+$", d.Name);
            Assert.DoesNotMatch("_total$", d.Name);
            Assert.False(string.IsNullOrWhiteSpace(d.Description));
        });
    }
}
