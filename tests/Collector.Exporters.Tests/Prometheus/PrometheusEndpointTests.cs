using System.Net.Http.Headers;
using Collector.Core.Components;
using Collector.Core.Model;
using Collector.Exporters.Prometheus;
using Collector.Exporters.Tests.Interop;
using static Collector.TestKit.TestBatches;

namespace Collector.Exporters.Tests.Prometheus;

/// <summary>The exporter's own endpoint: both formats, and promtool's lint of what it serves.</summary>
public class PrometheusEndpointTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Serves_the_counters_in_both_formats_and_promtool_finds_nothing_to_complain_about()
    {
        var exporter = new PrometheusExporter(Settings.For("prometheus", ComponentKind.Exporter), new PrometheusExporterOptions { Endpoint = "127.0.0.1:0", Labels = ["process", "thread", "function"] });
        await exporter.StartAsync(new TestHost(), CancellationToken.None);
        try
        {
            await exporter.ConsumeAsync(Known(), CancellationToken.None);
            // A function name with every character that needs escaping.
            var odd = Native(App, 0x440000, new Line(new Function("operator\"\"_x<\\n>\nline2"), 1));
            await exporter.ConsumeAsync(new ProfileBatch { ResourceProfiles = [ResourceOf(CpuProfile(Timed(StackOf(odd), 2, 1)), KeyValue.Of("process.executable.name", "odd"))] }, CancellationToken.None);
            using var client = new HttpClient { BaseAddress = new Uri(Assert.Single(exporter.Addresses)) };

            var text = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
            output.WriteLine(text);
            Assert.Contains("# TYPE profile_cpu_seconds_total counter\n", text, StringComparison.Ordinal);
            Assert.Contains("profile_cpu_seconds_total{process=\"app\",function=\"helper\"} 0.03\n", text, StringComparison.Ordinal);
            Assert.Contains("function=\"operator\\\"\\\"_x<\\\\n>\\nline2\"} 0.02\n", text, StringComparison.Ordinal);

            using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
            request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse("application/openmetrics-text; version=1.0.0"));
            using var response = await client.SendAsync(request);
            var openMetrics = await response.Content.ReadAsStringAsync();
            Assert.Equal("application/openmetrics-text; version=1.0.0; charset=utf-8", response.Content.Headers.ContentType!.ToString());
            // OpenMetrics names the counter family without _total and its samples with it.
            Assert.StartsWith("# HELP profile_cpu_seconds CPU time", openMetrics, StringComparison.Ordinal);
            Assert.Contains("# TYPE profile_cpu_seconds counter\n", openMetrics, StringComparison.Ordinal);
            Assert.Contains("profile_cpu_seconds_total{process=\"app\",function=\"helper\"} 0.03\n", openMetrics, StringComparison.Ordinal);
            Assert.EndsWith("# EOF\n", openMetrics, StringComparison.Ordinal);

            ExternalTools.Require(ExternalTools.OnPath("promtool"), "promtool is not installed (Debian package prometheus)");
            var (exitCode, lint, error) = ExternalTools.Run("promtool", ["check", "metrics"], System.Text.Encoding.UTF8.GetBytes(text));
            Assert.True(exitCode == 0 && lint.Length == 0 && error.Length == 0, $"promtool: {lint}{error}");
        }
        finally
        {
            await exporter.ShutdownAsync(CancellationToken.None);
        }
    }
}
