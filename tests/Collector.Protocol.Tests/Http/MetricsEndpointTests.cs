using System.Net;
using System.Net.Http.Headers;
using Collector.Protocol.Http;
using Collector.Telemetry.Exposition;
using Microsoft.Extensions.Logging.Abstractions;

namespace Collector.Protocol.Tests.Http;

public class MetricsEndpointTests
{
    private static readonly MetricFamily Family = new("test_events", MetricType.Counter, "Events.", "", [new MetricSeries([new MetricLabel("a", "b")], 3)]);

    [Fact]
    public async Task Serves_prometheus_text_by_default_and_openmetrics_when_asked()
    {
        await using var endpoint = await MetricsEndpoint.StartAsync(ListenAddress.Parse("127.0.0.1:0"), new FixedSource(Family), NullLoggerFactory.Instance, CancellationToken.None);
        using var client = new HttpClient { BaseAddress = new Uri(Assert.Single(endpoint.Addresses)) };

        using var plain = await client.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", plain.Content.Headers.ContentType!.ToString());
        Assert.Contains("test_events_total{a=\"b\"} 3\n", await plain.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse("application/openmetrics-text; version=1.0.0"));
        using var openMetrics = await client.SendAsync(request);
        Assert.Equal("application/openmetrics-text; version=1.0.0; charset=utf-8", openMetrics.Content.Headers.ContentType!.ToString());
        Assert.EndsWith("# EOF\n", await openMetrics.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/metrics"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());

        using var elsewhere = await client.GetAsync(new Uri("/other", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, elsewhere.StatusCode);
        using var post = await client.PostAsync(new Uri("/metrics", UriKind.Relative), new StringContent(""));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
    }

    [Fact]
    public async Task A_port_in_use_is_an_io_error()
    {
        await using var first = await MetricsEndpoint.StartAsync(ListenAddress.Parse("127.0.0.1:0"), new FixedSource(), NullLoggerFactory.Instance, CancellationToken.None);
        var port = new Uri(first.Addresses[0]).Port;
        await Assert.ThrowsAnyAsync<IOException>(() => MetricsEndpoint.StartAsync(ListenAddress.Parse($"127.0.0.1:{port}"), new FixedSource(), NullLoggerFactory.Instance, CancellationToken.None));
    }

    [Theory]
    [InlineData("localhost:13133", "localhost", 13133)]
    [InlineData("127.0.0.1:9464", "127.0.0.1", 9464)]
    [InlineData("[::1]:8888", "::1", 8888)]
    [InlineData(":9464", "", 9464)]
    public void Listen_addresses_parse_as_host_and_port(string text, string host, int port) =>
        Assert.Equal(new ListenAddress(host, port), ListenAddress.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("localhost")]
    [InlineData("localhost:http")]
    [InlineData("localhost:70000")]
    [InlineData("::1:8888")]
    public void Bad_listen_addresses_say_why(string text)
    {
        Assert.False(ListenAddress.TryParse(text, out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    private sealed class FixedSource(params MetricFamily[] families) : IMetricsSource
    {
        public IReadOnlyList<MetricFamily> Collect() => families;
    }
}
