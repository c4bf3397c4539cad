using Collector.Telemetry.Exposition;

namespace Collector.Telemetry.Tests.Exposition;

public class ExpositionFormatTests
{
    [Theory]
    [InlineData(null, ExpositionFormat.PrometheusText)]
    [InlineData("", ExpositionFormat.PrometheusText)]
    [InlineData("*/*", ExpositionFormat.PrometheusText)]
    [InlineData("text/plain", ExpositionFormat.PrometheusText)]
    [InlineData("application/openmetrics-text", ExpositionFormat.OpenMetrics)]
    // What Prometheus 2.x sends by default.
    [InlineData("application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1", ExpositionFormat.OpenMetrics)]
    [InlineData("application/openmetrics-text; version=\"1.0.0\"; charset=utf-8", ExpositionFormat.OpenMetrics)]
    [InlineData("application/openmetrics-text;version=0.0.1", ExpositionFormat.PrometheusText)]
    [InlineData("text/plain;version=0.0.4;q=0.9,application/openmetrics-text;q=0.5", ExpositionFormat.PrometheusText)]
    [InlineData("application/openmetrics-text;q=0", ExpositionFormat.PrometheusText)]
    [InlineData("APPLICATION/OPENMETRICS-TEXT;Q=1", ExpositionFormat.OpenMetrics)]
    public void The_accept_header_chooses_the_format(string? accept, ExpositionFormat expected) =>
        Assert.Equal(expected, ExpositionFormats.Negotiate(accept));

    [Fact]
    public void Each_format_has_its_versioned_content_type()
    {
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", ExpositionFormat.PrometheusText.ContentType());
        Assert.Equal("application/openmetrics-text; version=1.0.0; charset=utf-8", ExpositionFormat.OpenMetrics.ContentType());
    }
}
