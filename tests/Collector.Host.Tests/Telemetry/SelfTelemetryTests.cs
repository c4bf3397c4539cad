using System.Net.Sockets;
using Collector.Host.Tests.Support;

namespace Collector.Host.Tests.Telemetry;

/// <summary>The real collector's metrics endpoints, read as Prometheus would.</summary>
public class SelfTelemetryTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task After_a_replay_accepted_equals_sent_equals_the_samples_in_the_file()
    {
        using var dir = new TempDirectory();
        const int lines = 20, samplesPerLine = 30, samples = lines * samplesPerLine;
        var input = Recordings.WriteJsonLines(dir.File("in.jsonl"), lines, samplesPerLine);
        var outputFile = dir.File("out.jsonl");
        var port = FreePort.Next();
        var config = dir.Write("config.yaml", $"""
            receivers:
              otlp_json_file:
                include: ["{input}"]
            exporters:
              file:
                path: "{outputFile}"
                flush_interval: 100ms
            service:
              pipelines:
                profiles:
                  receivers: [otlp_json_file]
                  exporters: [file]
            {TelemetryConfig.Telemetry(port)}
            """);
        using var collector = CollectorProcess.Start(["--config", config]);
        var url = $"http://localhost:{port}/metrics";

        var metrics = await Scrapes.UntilAsync(collector, url,
            text => MetricsText.Value(text, "otelcol_exporter_sent_profile_samples_total", "exporter=\"file\"") == samples, Patience, $"{samples} samples sent");
        output.WriteLine(metrics);

        Assert.Equal(samples, MetricsText.Value(metrics, "otelcol_receiver_accepted_profile_samples_total", "receiver=\"otlp_json_file\"", "transport=\"file\""));
        Assert.Equal(0, MetricsText.Value(metrics, "otelcol_receiver_refused_profile_samples_total", "receiver=\"otlp_json_file\""));
        Assert.Equal(0, MetricsText.Value(metrics, "otelcol_receiver_failed_profile_samples_total", "receiver=\"otlp_json_file\""));
        Assert.Equal(0, MetricsText.Value(metrics, "otelcol_exporter_send_failed_profile_samples_total", "exporter=\"file\""));
        Assert.Equal(0, MetricsText.Value(metrics, "otelcol_receiver_corrupt_lines_total", "receiver=\"otlp_json_file\""));
        Assert.Equal(samples, Recordings.SampleCount(Recordings.ReadJsonLines(outputFile)));
        collector.Signal("TERM");
        Assert.Equal(0, await collector.WaitForExitAsync(Patience));
    }

    [Fact]
    public async Task Promtool_finds_nothing_wrong_with_either_endpoint_while_data_flows()
    {
        ExternalTools.Require("promtool", "prometheus");
        using var dir = new TempDirectory();
        var input = TelemetryConfig.SampleCopy(dir);
        var (telemetryPort, exporterPort) = (FreePort.Next(), FreePort.Next());
        var config = dir.Write("config.yaml", $"""
            receivers:
              otlp_json_file:
                include: ["{input}"]
                follow: true
                poll_interval: 50ms
            exporters:
              prometheus:
                endpoint: "localhost:{exporterPort}"
                labels: [process, container_id, thread, function]
              debug:
                verbosity: basic
            service:
              pipelines:
                profiles:
                  receivers: [otlp_json_file]
                  exporters: [prometheus, debug]
            {TelemetryConfig.Telemetry(telemetryPort, "detailed")}
            """);
        using var collector = CollectorProcess.Start(["--config", config]);
        using var stop = new CancellationTokenSource();
        var appending = TelemetryConfig.KeepAppendingAsync(input, stop.Token);
        try
        {
            var self = await Scrapes.UntilAsync(collector, $"http://localhost:{telemetryPort}/metrics",
                text => MetricsText.Value(text, "otelcol_receiver_accepted_profile_samples_total") > 0, Patience, "accepted samples");
            var profiles = await Scrapes.UntilAsync(collector, $"http://localhost:{exporterPort}/metrics",
                text => MetricsText.Samples(text, "profile_cpu_seconds_total").Any(), Patience, "cpu time series");

            foreach (var (name, exposition) in new[] { ("self-telemetry", self), ("prometheus exporter", profiles) })
            {
                var (exitCode, complaints) = await Promtool.CheckMetricsAsync(exposition);
                output.WriteLine($"{name}: promtool exit {exitCode}: {complaints}");
                Assert.True(exitCode == 0 && complaints.Length == 0, $"promtool on the {name} endpoint: {complaints}\n{exposition}");
            }
            Assert.Contains("profile_cpu_seconds_total{process=\"Shop.Api\",container_id=\"3f2b1c9e", profiles, StringComparison.Ordinal);
            Assert.NotNull(MetricsText.Value(self, "otelcol_process_runtime_gc_collections_total", "generation=\"0\""));

            var (status, contentType, openMetrics) = await Scrapes.GetAsync($"http://localhost:{exporterPort}/metrics", Scrapes.OpenMetricsAccept);
            Assert.Equal(200, status);
            Assert.StartsWith("application/openmetrics-text; version=1.0.0", contentType, StringComparison.Ordinal);
            Assert.EndsWith("# EOF\n", openMetrics, StringComparison.Ordinal);
        }
        finally
        {
            await stop.CancelAsync();
            await appending;
        }
        collector.Signal("TERM");
        Assert.Equal(0, await collector.WaitForExitAsync(Patience));
    }

    [Fact]
    public async Task Level_none_serves_no_metrics_endpoint()
    {
        using var dir = new TempDirectory();
        var port = FreePort.Next();
        var config = dir.Write("config.yaml", $"""
            receivers:
              otlp_json_file:
                include: ["{TelemetryConfig.SampleCopy(dir)}"]
            exporters:
              debug:
                verbosity: basic
            service:
              pipelines:
                profiles:
                  receivers: [otlp_json_file]
                  exporters: [debug]
            {TelemetryConfig.Telemetry(port, "none")}
            """);
        using var collector = CollectorProcess.Start(["--config", config]);
        await collector.WaitUntilAsync(() => collector.Stderr.Contains("Everything is ready", StringComparison.Ordinal), Patience, "the pipelines to start");

        using var client = new TcpClient();
        await Assert.ThrowsAsync<SocketException>(() => client.ConnectAsync("127.0.0.1", port));
        collector.Signal("TERM");
        Assert.Equal(0, await collector.WaitForExitAsync(Patience));
    }
}
