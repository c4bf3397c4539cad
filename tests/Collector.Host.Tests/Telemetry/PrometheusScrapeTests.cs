using Collector.Host.Tests.Support;

namespace Collector.Host.Tests.Telemetry;

/// <summary>A real Prometheus scrapes a real collector's two endpoints; the answers come from its query API.</summary>
public class PrometheusScrapeTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(25);

    [Fact]
    public async Task Prometheus_scrapes_both_endpoints_and_sees_accepted_samples_and_cpu_time()
    {
        ExternalTools.Require("prometheus", "prometheus");
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
            service:
              pipelines:
                profiles:
                  receivers: [otlp_json_file]
                  exporters: [prometheus]
            {TelemetryConfig.Telemetry(telemetryPort)}
            """);
        using var collector = CollectorProcess.Start(["--config", config]);
        using var stop = new CancellationTokenSource();
        var appending = TelemetryConfig.KeepAppendingAsync(input, stop.Token);
        using var prometheus = PrometheusServer.Start(new Dictionary<string, string>
        {
            ["collector"] = $"127.0.0.1:{telemetryPort}",
            ["profiles"] = $"127.0.0.1:{exporterPort}",
        });
        try
        {
            var deadline = DateTime.UtcNow + Patience;
            string? missing = "nothing queried yet";
            while (missing is not null && DateTime.UtcNow < deadline)
            {
                await Task.Delay(1000);
                Assert.False(collector.HasExited, collector.Stderr);
                missing = await MissingAsync(prometheus);
            }
            Assert.True(missing is null, $"{missing}\ntargets: {await prometheus.TargetsAsync()}\nprometheus log:\n{prometheus.Log}\ncollector:\n{collector.Stderr}");

            var cpu = await prometheus.QueryAsync("sum by (process) (profile_cpu_seconds_total)");
            output.WriteLine(string.Join("\n", cpu.Select(r => $"{string.Join(",", r.Labels)} {r.Value}")));
            Assert.Contains(cpu, r => r.Labels.GetValueOrDefault("process") == "postgres" && r.Value > 0);
        }
        finally
        {
            await stop.CancelAsync();
            await appending;
        }
        collector.Signal("TERM");
        Assert.Equal(0, await collector.WaitForExitAsync(TimeSpan.FromSeconds(30)));
    }

    /// <summary>What Prometheus does not show yet, or null when both targets are up and both counters are above zero.</summary>
    private static async Task<string?> MissingAsync(PrometheusServer prometheus)
    {
        try
        {
            var up = await prometheus.QueryAsync("up");
            foreach (var job in new[] { "collector", "profiles" })
            {
                if (!up.Any(r => r.Labels.GetValueOrDefault("job") == job && r.Value == 1)) return $"up is not 1 for job {job}: {string.Join("; ", up.Select(r => $"{r.Labels["job"]}={r.Value}"))}";
            }
            if (!(await prometheus.QueryAsync("otelcol_receiver_accepted_profile_samples_total{receiver=\"otlp_json_file\"} > 0")).Any())
            {
                return "no otelcol_receiver_accepted_profile_samples_total above zero";
            }
            if (!(await prometheus.QueryAsync("profile_cpu_seconds_total > 0")).Any()) return "no profile_cpu_seconds_total above zero";
            return null;
        }
        catch (HttpRequestException error)
        {
            return $"prometheus not answering yet: {error.Message}";
        }
    }
}
