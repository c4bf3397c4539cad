using Collector.Core.Otlp;
using Collector.Host.Tests.Support;

namespace Collector.Host.Tests.EndToEnd;

/// <summary>What a newcomer sees: the collector with no arguments runs the embedded pipeline until Ctrl-C.</summary>
public class DefaultPipelineTests
{
    [Fact]
    public async Task With_no_arguments_it_replays_the_bundled_sample_writes_files_and_prints_top_functions_until_interrupted()
    {
        using var dir = new TempDirectory();
        var output = dir.File("profiles.jsonl");
        using var collector = CollectorProcess.Start([], new Dictionary<string, string> { ["COLLECTOR_OUTPUT"] = output }, workingDirectory: dir.Path);

        await collector.WaitUntilAsync(() => collector.Stdout.Contains("top functions", StringComparison.OrdinalIgnoreCase), TimeSpan.FromSeconds(60), "the debug summary");
        await collector.WaitUntilAsync(() => File.Exists(output) && new FileInfo(output).Length > 0, TimeSpan.FromSeconds(30), "the file export");
        await Task.Delay(500);
        Assert.False(collector.Stderr.Contains("fail", StringComparison.OrdinalIgnoreCase), collector.Stderr);

        collector.Signal("INT");
        Assert.Equal(0, await collector.WaitForExitAsync(TimeSpan.FromSeconds(30)));

        var exports = Recordings.ReadJsonLines(output);
        Assert.NotEmpty(exports);
        Assert.All(exports, e => Assert.Empty(ExportValidator.Validate(e)));
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
