using System.Text.RegularExpressions;
using Collector.Host.Tests.Support;

namespace Collector.Host.Tests.EndToEnd;

/// <summary>SIGTERM stops receivers, flushes and drains: nothing read before the signal is lost.</summary>
public partial class ShutdownTests
{
    [GeneratedRegex(@"otlp_json_file.*?(\d+) samples accepted")]
    private static partial Regex AcceptedSamples();

    [Fact]
    public async Task Sigterm_while_replaying_at_full_speed_keeps_every_sample_read()
    {
        using var dir = new TempDirectory();
        const int lines = 6_000, samplesPerLine = 150;
        var input = Recordings.WriteJsonLines(dir.File("big.jsonl"), lines, samplesPerLine);
        var output = dir.File("out.jsonl");
        var config = dir.Write("replay.yaml", $"""
            receivers:
              otlp_json_file:
                include: ["{input}"]
            exporters:
              file:
                path: "{output}"
                flush_interval: 50ms
            service:
              pipelines:
                profiles:
                  receivers: [otlp_json_file]
                  exporters: [file]
            """);

        using var collector = CollectorProcess.Start(["--config", config]);
        await collector.WaitUntilAsync(() => File.Exists(output) && new FileInfo(output).Length > 0, TimeSpan.FromSeconds(60), "the first export");
        collector.Signal("TERM");
        var code = await collector.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.True(code == 0, collector.Stderr);
        var written = Recordings.ReadJsonLines(output);
        var sent = Recordings.Timestamps(Recordings.ReadJsonLines(input));
        var received = Recordings.Timestamps(written);
        // The signal came mid-replay, and everything the receiver accepted before it is in the file, in order.
        Assert.InRange(received.Count, 1, sent.Count - 1);
        Assert.Equal(sent.Take(received.Count), received);
        var accepted = AcceptedSamples().Match(collector.Stderr);
        Assert.True(accepted.Success, collector.Stderr);
        Assert.Equal(int.Parse(accepted.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), received.Count);
        Assert.Contains("Shutdown complete", collector.Stderr, StringComparison.Ordinal);
    }
}
