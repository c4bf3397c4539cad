using System.Globalization;
using Collector.Host.Tests.Support;

namespace Collector.Host.Tests.EndToEnd;

/// <summary>
/// Acceptance of the pprof exporter (files and endpoint) and the folded format against a live workload, with
/// <c>go tool pprof</c> as the independent reader and the debug exporter of the same pipeline as the reference: the
/// receiver samples only the workload, so every exporter sees the same samples and the shares must agree.
/// </summary>
[Collection(LiveProfilingCollection.Name)]
public sealed class PprofAndFoldedTests(ITestOutputHelper output)
{
    private const double TolerancePoints = 2.0;

    [Fact]
    public async Task Go_tool_pprof_reads_files_and_endpoint_with_the_debug_exporters_shares()
    {
        LiveProfiling.Require("clang-14", "nm", "readelf");
        GoPprof.Require();
        using var directory = new TempDirectory();
        var workload = NamedWorkload.Build(directory.Path, "pprofwork");
        var pprofDirectory = directory.File("pprof");
        var folded = directory.File("stacks.folded");
        var port = FreePort.Next();
        var config = directory.Write("collector.yaml", $"""
            receivers:
              ebpf_profiling:
                samples_per_second: 99
                report_interval: 1s
                process_names: ["^{workload.Name}$"]
            processors:
              pid_lifecycle: {"{}"}
              symbolization: {"{}"}
            exporters:
              debug:
                verbosity: normal
              pprof:
                directory: {pprofDirectory}
                endpoint: 127.0.0.1:{port}
              file:
                path: {folded}
                format: folded
            service:
              pipelines:
                profiles:
                  receivers: [ebpf_profiling]
                  processors: [pid_lifecycle, symbolization]
                  exporters: [debug, pprof, file]
            """);
        using var collector = CollectorProcess.Start(["--config", config], workingDirectory: directory.Path);
        await collector.WaitUntilAsync(() => collector.Stderr.Contains("Everything is ready", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "the pipeline to start");

        // go tool pprof asks for the next 5 s; the workload starts once the request is in and ends well inside the window.
        var url = $"http://127.0.0.1:{port}/debug/pprof/profile?seconds=5";
        var fromEndpoint = GoPprof.RunAsIsAsync(["-top", url], directory.Path);
        await Task.Delay(TimeSpan.FromMilliseconds(700));
        using (var run = workload.Start("cpu", 2.0)) await ProcessDeadline.WaitForExitAsync(run, TimeSpan.FromSeconds(70));
        var endpointTop = await fromEndpoint;
        await Task.Delay(TimeSpan.FromSeconds(2));
        collector.Signal("TERM");
        Assert.Equal(0, await collector.WaitForExitAsync(TimeSpan.FromSeconds(60)));

        var debugWeights = ProfileTexts.DebugTopFunctions(collector.Stdout);
        var debugTotal = ProfileTexts.DebugTotal(collector.Stdout);
        var debugShare = Share(debugWeights.GetValueOrDefault("leaf_hot"), debugTotal);
        var files = Directory.GetFiles(pprofDirectory, "*.pb.gz");
        var fileTop = await GoPprof.RunAsync(["-top", .. files]);
        output.WriteLine($"debug: leaf_hot {debugWeights.GetValueOrDefault("leaf_hot")} of {debugTotal} = {debugShare:F2}%");
        output.WriteLine($"go tool pprof -top on {files.Length} files:\n{fileTop}");
        output.WriteLine($"go tool pprof -top {url}:\n{endpointTop}");

        Assert.True(debugTotal >= 50, $"only {debugTotal} samples of the workload");
        AssertHotFirst(fileTop, debugShare, "files");
        AssertHotFirst(endpointTop, debugShare, "endpoint");

        var traces = await GoPprof.RunAsync(["-traces", .. files]);
        Assert.Matches(@"leaf_hot\s*\n\s*mid\s*\n\s*main", traces);
        var raw = await GoPprof.RunAsync(["-raw", .. files]);
        Assert.Contains(workload.BuildId, raw, StringComparison.Ordinal);

        var foldedWeights = ProfileTexts.FoldedLeafWeights(await File.ReadAllTextAsync(folded));
        output.WriteLine($"folded: leaf_hot {foldedWeights.GetValueOrDefault("leaf_hot")}, leaf_cold {foldedWeights.GetValueOrDefault("leaf_cold")}, total {foldedWeights.Values.Sum()}");
        Assert.Equal(debugTotal, foldedWeights.Values.Sum());
        foreach (var (name, weight) in debugWeights) Assert.Equal(weight, foldedWeights.GetValueOrDefault(name));
    }

    private void AssertHotFirst(string top, double debugShare, string what)
    {
        var shares = GoPprof.FlatShares(top);
        var first = shares.OrderByDescending(pair => pair.Value).First();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what}: leaf_hot {shares.GetValueOrDefault("leaf_hot"):F2}% (debug {debugShare:F2}%)"));
        Assert.Equal("leaf_hot", first.Key);
        Assert.True(Math.Abs(first.Value - debugShare) <= TolerancePoints, $"{what}: leaf_hot {first.Value}% against the debug exporter's {debugShare:F2}%");
    }

    private static double Share(long part, long total) => total == 0 ? 0 : 100.0 * part / total;
}
