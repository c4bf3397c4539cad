using Collector.Core.Model;
using Collector.Host.Tests.Support;
using Collector.Otlp;

namespace Collector.Host.Tests.Telemetry;

/// <summary>A replay with 100,000 distinct functions cannot push the prometheus exporter past max_series.</summary>
public class CardinalityTests(ITestOutputHelper output)
{
    private const int Functions = 100_000, Lines = 10, Processes = 20, MaxSeries = 1_000;

    [Fact]
    public async Task A_replay_of_a_hundred_thousand_distinct_functions_stays_within_max_series()
    {
        using var dir = new TempDirectory();
        var input = WriteRecording(dir.File("many-functions.jsonl"));
        var (telemetryPort, exporterPort) = (FreePort.Next(), FreePort.Next());
        var config = dir.Write("config.yaml", $"""
            receivers:
              otlp_json_file:
                include: ["{input}"]
            exporters:
              prometheus:
                endpoint: "localhost:{exporterPort}"
                max_series: {MaxSeries}
            service:
              pipelines:
                profiles:
                  receivers: [otlp_json_file]
                  exporters: [prometheus]
            {TelemetryConfig.Telemetry(telemetryPort)}
            """);
        using var collector = CollectorProcess.Start(["--config", config]);

        var self = await Scrapes.UntilAsync(collector, $"http://localhost:{telemetryPort}/metrics",
            text => MetricsText.Value(text, "otelcol_exporter_sent_profile_samples_total", "exporter=\"prometheus\"") == Functions,
            TimeSpan.FromSeconds(90), "every sample to reach the exporter");
        var (_, _, profiles) = await Scrapes.GetAsync($"http://localhost:{exporterPort}/metrics");

        var series = MetricsText.Samples(profiles, "profile_cpu_seconds_total").ToList();
        output.WriteLine($"{series.Count} series; self-telemetry says {MetricsText.Value(self, "otelcol_exporter_prometheus_series")}, dropped {MetricsText.Value(self, "otelcol_exporter_prometheus_dropped_cpu_seconds_total")} s");
        Assert.InRange(series.Count, 1, MaxSeries);
        Assert.Equal(series.Count, MetricsText.Value(self, "otelcol_exporter_prometheus_series", "exporter=\"prometheus\""));
        // 20 processes × (100 top functions + other) would be 2,020 series: max_series is what binds here.
        Assert.Equal(MaxSeries, series.Count);
        Assert.Contains(series, s => s.Contains("function=\"other\"", StringComparison.Ordinal));
        // What found no room is not silently gone: served plus dropped is all of it (each sample is 10 ms).
        var served = series.Sum(s => double.Parse(s[(s.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
        var dropped = MetricsText.Value(self, "otelcol_exporter_prometheus_dropped_cpu_seconds_total", "exporter=\"prometheus\"")!.Value;
        Assert.True(dropped > 0);
        Assert.Equal(Functions * 0.01, served + dropped, 3);

        collector.Signal("TERM");
        Assert.Equal(0, await collector.WaitForExitAsync(TimeSpan.FromSeconds(30)));
    }

    /// <summary>Ten exports of 10,000 samples, each sample a function seen nowhere else, spread over 20 processes.</summary>
    private static string WriteRecording(string path)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16);
        var mapping = new Mapping(0x400000, 0x4000000, 0, "/usr/bin/generated");
        for (var line = 0; line < Lines; line++)
        {
            var batch = new ProfileBatch();
            for (var process = 0; process < Processes; process++)
            {
                var profile = new Profile
                {
                    SampleType = Core.Model.ValueType.Samples,
                    PeriodType = Core.Model.ValueType.CpuNanoseconds,
                    Period = 10_000_000,
                    TimeUnixNano = 1_700_000_000_000_000_000UL,
                    DurationNano = 1_000_000_000,
                };
                for (var f = line * (Functions / Lines) + process; f < (line + 1) * (Functions / Lines); f += Processes)
                {
                    var leaf = new Location(mapping, 0x400000 + (ulong)f * 16, [new Line(new Function($"generated::function_{f}"))]);
                    profile.Samples.Add(new Sample(new Stack([leaf])) { TimestampsUnixNano = [profile.TimeUnixNano + (ulong)f] });
                }
                batch.ResourceProfiles.Add(new ResourceProfiles
                {
                    Resource = new Resource { Attributes = [KeyValue.Of("process.pid", 5000 + process), KeyValue.Of("process.executable.name", $"worker{process}")] },
                    ScopeProfiles = [new ScopeProfiles { Scope = new InstrumentationScope { Name = "generated" }, Profiles = [profile] }],
                });
            }
            file.Write(OtlpJson.Serialize(ModelToOtlp.ToRequest(batch)));
            file.WriteByte((byte)'\n');
        }
        return path;
    }
}
