using System.Text.Json;
using System.Text.RegularExpressions;
using Collector.Core.Components;
using Collector.Core.Telemetry;
using Collector.Extensions.HealthCheck;
using Collector.Host.Tests.Support;
using Collector.Telemetry;
using Microsoft.Extensions.Logging.Abstractions;

namespace Collector.Host.Tests.Telemetry;

public partial class HealthCheckTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [GeneratedRegex(@"^(\d+h)?(\d+m)?\d+(\.\d+)?s$|^\d+(\.\d+)?(ms|µs)$|^\d+ns$")]
    private static partial Regex GoDurationPattern();

    [Fact]
    public async Task Answers_200_with_start_time_and_uptime_while_every_pipeline_runs()
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
            extensions:
              health_check:
                endpoint: "localhost:{port}"
                path: /health/status
            service:
              extensions: [health_check]
              pipelines:
                profiles:
                  receivers: [otlp_json_file]
                  exporters: [debug]
              telemetry:
                metrics:
                  level: none
            """);
        using var collector = CollectorProcess.Start(["--config", config]);
        var url = $"http://localhost:{port}/health/status";

        await Scrapes.UntilAsync(collector, url, _ => true, Patience, "a healthy answer");
        var (status, contentType, body) = await Scrapes.GetAsync(url);
        Assert.Equal(200, status);
        Assert.Equal("application/json", contentType);
        using var json = JsonDocument.Parse(body);
        Assert.Equal("Server available", json.RootElement.GetProperty("status").GetString());
        var upSince = DateTimeOffset.Parse(json.RootElement.GetProperty("upSince").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(upSince, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow);
        Assert.Matches(GoDurationPattern(), json.RootElement.GetProperty("uptime").GetString());
        Assert.Equal(404, (await Scrapes.GetAsync($"http://localhost:{port}/")).Status);

        collector.Signal("TERM");
        Assert.Equal(0, await collector.WaitForExitAsync(Patience));
    }

    [Fact]
    public async Task Answers_503_once_an_exporter_keeps_failing()
    {
        using var dir = new TempDirectory();
        var port = FreePort.Next();
        // A directory that does not exist and will not be created: every write fails, permanently.
        var unwritable = Path.Combine(dir.Path, "missing", "out.jsonl");
        var config = dir.Write("config.yaml", $"""
            receivers:
              otlp_json_file:
                include: ["{TelemetryConfig.SampleCopy(dir)}"]
            exporters:
              file:
                path: "{unwritable}"
                create_directory: false
            extensions:
              health_check:
                endpoint: "localhost:{port}"
                check_collector_pipeline:
                  exporter_failure_threshold: 3
            service:
              extensions: [health_check]
              pipelines:
                profiles:
                  receivers: [otlp_json_file]
                  exporters: [file]
              telemetry:
                metrics:
                  level: none
            """);
        using var collector = CollectorProcess.Start(["--config", config]);
        var url = $"http://localhost:{port}/";

        var deadline = DateTime.UtcNow + Patience;
        (int Status, string ContentType, string Body) answer = default;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                answer = await Scrapes.GetAsync(url);
                if (answer.Status == 503) break;
            }
            catch (HttpRequestException)
            {
            }
            Assert.False(collector.HasExited, collector.Stderr);
            await Task.Delay(200);
        }
        Assert.Equal(503, answer.Status);
        Assert.Equal("{\"status\":\"Server not available\"}", answer.Body);
        // The console logger writes on its own thread: the reason shows up in the log shortly after.
        await collector.WaitUntilAsync(() => collector.Stderr.Contains("exporter file: the last", StringComparison.Ordinal), Patience, "the logged reason");

        collector.Signal("TERM");
        await collector.WaitForExitAsync(Patience);
    }

    [Fact]
    public async Task Listens_on_localhost_only_unless_configured_otherwise()
    {
        var defaults = new HealthCheckOptions();
        Assert.Equal("localhost:13133", defaults.Endpoint);
        Assert.Equal("/", defaults.Path);

        var telemetry = new CollectorTelemetry(TelemetryLevel.None);
        var settings = Settings.For("health_check", ComponentKind.Extension, telemetry: telemetry);
        var extension = new HealthCheckExtension(settings, new HealthCheckOptions { Endpoint = $"localhost:{FreePort.Next()}" });
        await extension.StartAsync(new TestHost(), CancellationToken.None);
        try
        {
            Assert.NotEmpty(extension.Addresses);
            Assert.All(extension.Addresses, address => Assert.True(new Uri(address).IsLoopback, $"{address} is not a loopback address"));
            // Not started pipelines yet: not available.
            Assert.Equal(503, (await Scrapes.GetAsync(extension.Addresses[0] + "/")).Status);
            telemetry.Health.MarkRunning();
            Assert.Equal(200, (await Scrapes.GetAsync(extension.Addresses[0] + "/")).Status);
        }
        finally
        {
            await extension.ShutdownAsync(CancellationToken.None);
        }
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(1_500, "150µs")]
    [InlineData(15_000_000, "1.5s")]
    [InlineData(1_200_000_000, "2m0s")]
    [InlineData(37_230_500_000_0, "10h20m30.5s")]
    public void Uptime_is_written_as_a_go_duration(long ticks, string expected) =>
        Assert.Equal(expected, GoDuration.Format(TimeSpan.FromTicks(ticks)));
}
