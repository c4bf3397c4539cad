using System.Text;
using Collector.Telemetry.Exposition;

namespace Collector.Telemetry.Tests.Exposition;

public class ExpositionWriterTests
{
    private static readonly MetricFamily Accepted = new(
        "otelcol_receiver_accepted_profile_samples", MetricType.Counter, "Samples pushed \"into\" the pipeline.\nSecond line \\ end.", "",
        [
            new MetricSeries([new MetricLabel("receiver", "otlp"), new MetricLabel("transport", "grpc")], 42),
            new MetricSeries([new MetricLabel("receiver", "we\"ird\\na\nme"), new MetricLabel("transport", "")], 0.5),
        ]);

    private static readonly MetricFamily Rss = new(
        "otelcol_process_memory_rss_bytes", MetricType.Gauge, "Resident memory.", "bytes", [new MetricSeries([], 1_234_567)]);

    private static string Write(ExpositionFormat format, params MetricFamily[] families)
    {
        var text = new StringBuilder();
        ExpositionWriter.Write(text, families, format);
        return text.ToString();
    }

    [Fact]
    public void Prometheus_text_names_the_counter_with_total_in_help_type_and_samples()
    {
        var text = Write(ExpositionFormat.PrometheusText, Accepted, Rss);

        Assert.Equal(
            "# HELP otelcol_receiver_accepted_profile_samples_total Samples pushed \"into\" the pipeline.\\nSecond line \\\\ end.\n" +
            "# TYPE otelcol_receiver_accepted_profile_samples_total counter\n" +
            "otelcol_receiver_accepted_profile_samples_total{receiver=\"otlp\",transport=\"grpc\"} 42\n" +
            "otelcol_receiver_accepted_profile_samples_total{receiver=\"we\\\"ird\\\\na\\nme\"} 0.5\n" +
            "# HELP otelcol_process_memory_rss_bytes Resident memory.\n" +
            "# TYPE otelcol_process_memory_rss_bytes gauge\n" +
            "otelcol_process_memory_rss_bytes 1234567\n", text);
    }

    [Fact]
    public void OpenMetrics_describes_the_family_without_total_samples_it_with_total_and_ends_with_eof()
    {
        var text = Write(ExpositionFormat.OpenMetrics, Accepted, Rss);

        Assert.Equal(
            "# TYPE otelcol_receiver_accepted_profile_samples counter\n" +
            "# HELP otelcol_receiver_accepted_profile_samples Samples pushed \\\"into\\\" the pipeline.\\nSecond line \\\\ end.\n" +
            "otelcol_receiver_accepted_profile_samples_total{receiver=\"otlp\",transport=\"grpc\"} 42\n" +
            "otelcol_receiver_accepted_profile_samples_total{receiver=\"we\\\"ird\\\\na\\nme\"} 0.5\n" +
            "# TYPE otelcol_process_memory_rss_bytes gauge\n" +
            "# UNIT otelcol_process_memory_rss_bytes bytes\n" +
            "# HELP otelcol_process_memory_rss_bytes Resident memory.\n" +
            "otelcol_process_memory_rss_bytes 1234567\n" +
            "# EOF\n", text);
    }

    [Fact]
    public void OpenMetrics_with_no_families_is_just_eof_and_prometheus_text_is_empty()
    {
        Assert.Equal("# EOF\n", Write(ExpositionFormat.OpenMetrics));
        Assert.Equal("", Write(ExpositionFormat.PrometheusText));
    }

    [Fact]
    public void A_unit_the_name_does_not_end_with_gets_no_unit_line()
    {
        var family = new MetricFamily("queue_length", MetricType.Gauge, "Queue.", "seconds", [new MetricSeries([], 1)]);
        Assert.DoesNotContain("# UNIT", Write(ExpositionFormat.OpenMetrics, family), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(3.0, "3")]
    [InlineData(-7.0, "-7")]
    [InlineData(0.25, "0.25")]
    [InlineData(1e20, "1E+20")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    public void Values_are_written_as_prometheus_reads_them(double value, string expected)
    {
        var text = new StringBuilder();
        ExpositionWriter.AppendValue(text, value);
        Assert.Equal(expected, text.ToString());
    }

    [Fact]
    public void Utf8_output_keeps_non_ascii_label_values()
    {
        var family = new MetricFamily("g", MetricType.Gauge, "G.", "", [new MetricSeries([new MetricLabel("function", "Größe::π")], 1)]);
        var bytes = ExpositionWriter.WriteUtf8([family], ExpositionFormat.PrometheusText);
        Assert.Contains("function=\"Größe::π\"", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
    }
}
