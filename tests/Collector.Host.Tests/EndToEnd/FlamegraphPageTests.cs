using Collector.Host.Tests.Support;

namespace Collector.Host.Tests.EndToEnd;

/// <summary>
/// The flame graph page in a real browser (chromium, headless, driven by puppeteer-core): a live workload's hot function
/// is found, zoomed into and searched. The screenshot goes to artifacts/flamegraph-live.png. How fast the page draws
/// many stacks is <see cref="FlamegraphPageResponsivenessTests"/>.
/// </summary>
[Collection(LiveProfilingCollection.Name)]
public sealed class FlamegraphPageTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_live_workloads_hot_function_can_be_found_zoomed_and_searched()
    {
        LiveProfiling.Require("clang-14", "nm");
        FlamegraphBrowser.Require();
        using var directory = new TempDirectory();
        var workload = NamedWorkload.Build(directory.Path, "flamework");
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
              flamegraph:
                endpoint: 127.0.0.1:{port}
            service:
              pipelines:
                profiles:
                  receivers: [ebpf_profiling]
                  processors: [pid_lifecycle, symbolization]
                  exporters: [flamegraph]
            """);
        using var collector = CollectorProcess.Start(["--config", config], workingDirectory: directory.Path);
        await collector.WaitUntilAsync(() => collector.Stderr.Contains("Everything is ready", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "the pipeline to start");
        using var run = workload.Start("cpu", 60);
        await Task.Delay(TimeSpan.FromSeconds(3));

        var result = await FlamegraphBrowser.CheckAsync($"http://127.0.0.1:{port}/", Path.Combine(RepoPaths.Root, "artifacts", "flamegraph-live.png"), "leaf_hot", output);
        run.Kill();

        Assert.Empty(result.GetProperty("errors").EnumerateArray());
        Assert.True(result.GetProperty("widthAfterZoom").GetDouble() > 0.95 * result.GetProperty("chartWidth").GetDouble(), "clicking leaf_hot did not zoom into it");
        Assert.True(result.GetProperty("highlighted").GetInt32() >= 1, "searching leaf_hot highlighted nothing");
        Assert.Equal("leaf_hot", result.GetProperty("topFunction").GetString());
    }
}
