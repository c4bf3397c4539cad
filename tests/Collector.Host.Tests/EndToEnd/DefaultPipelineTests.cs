using Collector.Host.Tests.Support;
using Collector.Otlp;

namespace Collector.Host.Tests.EndToEnd;

/// <summary>What a newcomer sees: the collector with no arguments runs the embedded pipeline until Ctrl-C.</summary>
public class DefaultPipelineTests
{
    [Fact]
    public async Task With_no_arguments_it_profiles_this_machine_writes_files_and_prints_top_functions_until_interrupted()
    {
        ExternalTools.Require(Environment.IsPrivilegedProcess, "the default pipeline samples with eBPF, which needs root (or CAP_BPF + CAP_PERFMON)");
        using var dir = new TempDirectory();
        var output = dir.File("profiles.jsonl");
        using var collector = CollectorProcess.Start([], new Dictionary<string, string> { ["COLLECTOR_OUTPUT"] = output }, workingDirectory: dir.Path);
        using var busy = BusyLoop.Start(TimeSpan.FromSeconds(20));

        // The first report comes after report_interval (5 s).
        await collector.WaitUntilAsync(() => collector.Stdout.Contains("top functions", StringComparison.OrdinalIgnoreCase), TimeSpan.FromSeconds(60), "the debug summary");
        await collector.WaitUntilAsync(() => File.Exists(output) && new FileInfo(output).Length > 0, TimeSpan.FromSeconds(30), "the file export");

        // SIGTERM, as an orchestrator sends: a suite started as a background job inherits SIGINT as ignored.
        collector.Signal("TERM");
        Assert.Equal(0, await collector.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        var exports = Recordings.ReadJsonLines(output);
        Assert.NotEmpty(exports);
        Assert.All(exports, e => Assert.Empty(ExportValidator.Validate(e)));
        Assert.True(Recordings.SampleCount(exports) > 0);
    }

    [Fact]
    public async Task The_replay_example_runs_without_privileges_and_prints_the_bundled_recordings_top_functions()
    {
        using var dir = new TempDirectory();
        var output = dir.File("replay.jsonl");
        var config = Path.Combine(RepoPaths.Root, "examples", "replay.yaml");
        using var collector = CollectorProcess.Start(["--config", config], new Dictionary<string, string> { ["COLLECTOR_OUTPUT"] = output }, workingDirectory: dir.Path);

        await collector.WaitUntilAsync(() => collector.Stdout.Contains("Shop.Pricing.DiscountEngine.ComputeTieredRate", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "the debug summary");
        await collector.WaitUntilAsync(() => File.Exists(output) && Recordings.SafeLineCount(output) >= 12, TimeSpan.FromSeconds(30), "the file export");
        // SIGTERM, as an orchestrator sends: a suite started as a background job inherits SIGINT as ignored.
        collector.Signal("TERM");
        Assert.Equal(0, await collector.WaitForExitAsync(TimeSpan.FromSeconds(30)));

        var exports = Recordings.ReadJsonLines(output);
        Assert.Equal(12, exports.Count);
        Assert.All(exports, e => Assert.Empty(ExportValidator.Validate(e)));
        Assert.Contains("Stopped: 12 batches with", collector.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Running_an_invalid_config_exits_1_with_the_error_and_no_stack_trace()
    {
        using var dir = new TempDirectory();
        var config = dir.Write("bad.yaml", "receivers:\n  nope: {}\n");
        using var collector = CollectorProcess.Start(["--config", config]);

        Assert.Equal(1, await collector.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains($"receivers::nope: unknown receiver type \"nope\"", collector.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", collector.Stderr, StringComparison.Ordinal);
    }
}
