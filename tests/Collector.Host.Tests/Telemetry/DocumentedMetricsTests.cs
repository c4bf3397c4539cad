using System.Text.RegularExpressions;
using Collector.Host.Tests.Support;
using Collector.Telemetry;

namespace Collector.Host.Tests.Telemetry;

/// <summary>
/// The metrics every component gets by construction, as docs/telemetry.md lists them, read from a running
/// collector: each documented name is exposed with its type, its documented label names and the HELP text of its
/// definition. Pins what scrapers rely on across changes of the exposition library.
/// </summary>
public partial class DocumentedMetricsTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Every_documented_metric_is_exposed_with_its_type_labels_and_help()
    {
        using var dir = new TempDirectory();
        var input = Recordings.WriteJsonLines(dir.File("in.jsonl"), 5, 10);
        var port = FreePort.Next();
        var config = dir.Write("config.yaml", $"""
            receivers:
              otlp_json_file:
                include: ["{input}"]
            processors:
              resource:
                attributes: [{"{"}key: deployment.environment, value: test, action: upsert{"}"}]
            exporters:
              file:
                path: "{dir.File("out.jsonl")}"
                flush_interval: 100ms
            service:
              pipelines:
                profiles:
                  receivers: [otlp_json_file]
                  processors: [resource]
                  exporters: [file]
            {TelemetryConfig.Telemetry(port, "detailed")}
            """);
        using var collector = CollectorProcess.Start(["--config", config]);
        var text = await Scrapes.UntilAsync(collector, $"http://localhost:{port}/metrics",
            body => MetricsText.Value(body, "otelcol_exporter_sent_profile_samples_total", "exporter=\"file\"") == 50, Patience, "50 samples sent");
        collector.Signal("TERM");
        Assert.Equal(0, await collector.WaitForExitAsync(Patience));

        var rows = DocumentedRows().ToList();
        Assert.True(rows.Count >= 12, $"only {rows.Count} documented metrics found in docs/telemetry.md");
        foreach (var (name, type, labels) in rows)
        {
            // Queue gauges belong to exporters with a sending queue; the file exporter has none.
            if (name.StartsWith("otelcol_exporter_queue_", StringComparison.Ordinal)) continue;
            output.WriteLine($"{name} {type} [{string.Join(",", labels)}]");
            Assert.Contains($"# TYPE {name} {type}\n", text, StringComparison.Ordinal);
            Assert.Contains($"# HELP {name} {Definition(name).Description}\n", text, StringComparison.Ordinal);
            var samples = MetricsText.Samples(text, name).ToList();
            Assert.NotEmpty(samples);
            foreach (var sample in samples)
            {
                Assert.Equal(labels, LabelNames().Matches(sample).Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal).ToArray());
            }
        }
    }

    /// <summary>Rows of the table under "Metrics every component gets by construction": names, type, label names.</summary>
    private static IEnumerable<(string Name, string Type, string[] Labels)> DocumentedRows()
    {
        var doc = File.ReadAllText(Path.Combine(ExternalTools.RepositoryRoot, "docs", "telemetry.md"));
        var start = doc.IndexOf("### Metrics every component gets by construction", StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/telemetry.md lost its table of by-construction metrics");
        foreach (var line in doc[start..].Split('\n').SkipWhile(l => !l.StartsWith("| `", StringComparison.Ordinal)).TakeWhile(l => l.StartsWith('|')))
        {
            var cells = line.Split('|', StringSplitOptions.TrimEntries);
            var labels = Quoted().Matches(cells[3]).Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal).ToArray();
            foreach (Match name in Quoted().Matches(cells[1])) yield return (name.Groups[1].Value, cells[2], labels);
        }
    }

    private static MetricDefinition Definition(string exposedName) =>
        typeof(CollectorMetrics).GetFields()
            .Select(f => f.GetValue(null)).OfType<MetricDefinition>()
            .Single(d => (d.Type == Collector.Telemetry.Exposition.MetricType.Counter ? d.PrometheusName + "_total" : d.PrometheusName) == exposedName);

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex Quoted();

    [GeneratedRegex("""([a-zA-Z_][a-zA-Z0-9_]*)="(?:[^"\\]|\\.)*"[,}]""")]
    private static partial Regex LabelNames();
}
