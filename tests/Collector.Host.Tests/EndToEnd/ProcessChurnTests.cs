using System.Diagnostics;
using System.Globalization;
using Collector.Core.Model;
using Collector.Host.Tests.Support;

namespace Collector.Host.Tests.EndToEnd;

/// <summary>
/// Acceptance under process churn (DESIGN.md lesson 5): a shell loop spawns thousands of short-lived processes
/// while the sidecar pipeline profiles them. Their samples are named although most exit before anyone can read
/// their /proc entries, no error is logged about state that never existed, and the process table shrinks back.
/// </summary>
[Collection(LiveProfilingCollection.Name)]
public sealed class ProcessChurnTests(ITestOutputHelper output)
{
    /// <summary>The pid_lifecycle gauge of processes held in the table (any state but forgotten).</summary>
    private const string TrackedProcesses = "otelcol_processor_tracked_processes";

    [Fact]
    public async Task Five_thousand_short_lived_processes_in_a_minute_are_named_leave_no_error_and_the_table_returns_to_baseline()
    {
        LiveProfiling.Require("clang-14", "nm", "readelf", "bash");
        using var directory = new TempDirectory();
        var child = NamedWorkload.Build(directory.Path, "churnwork");
        using var run = await SymbolizingRun.StartAsync(directory, $"    process_names: [\"^{child.Name}$\"]", output);
        var baseline = await TrackedAsync(run);

        var spawned = await SpawnForAsync(child, TimeSpan.FromSeconds(60));
        // Exits are forgotten once the watermark (2 Hz, at most 1 s behind) passes them: within 1.5 s on an idle
        // machine, later when other work delays the pipeline; exits the ring buffer lost wait for the 30 s sweep.
        var after = await TrackedAsync(run);
        for (var waited = Stopwatch.StartNew(); after != baseline && waited.Elapsed < TimeSpan.FromSeconds(40);)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            after = await TrackedAsync(run);
        }
        var batches = await run.StopAsync();

        var samples = ExportedSample.All(batches).Where(s => s.ThreadName == child.Name).ToList();
        var total = samples.Sum(s => s.Weight);
        var named = samples.Where(s => IsNamed(s)).Sum(s => s.Weight);
        var problems = run.Stderr.Split('\n').Where(line => line.Contains(" fail: ", StringComparison.Ordinal) || line.Contains(" crit: ", StringComparison.Ordinal)).ToList();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{spawned} processes spawned; {total} samples in them, {named} ({100.0 * named / Math.Max(1, total):F1}%) named; tracked processes {baseline} before, {after} after"));

        Assert.True(spawned >= 5000, $"only {spawned} processes spawned in 60 s");
        Assert.True(total >= 200, $"only {total} samples in the short-lived processes");
        Assert.True(named >= 0.8 * total, $"only {named} of {total} samples named");
        Assert.Empty(problems);
        Assert.DoesNotContain("state", string.Join('\n', run.Stderr.Split('\n').Where(line => line.Contains(" warn: ", StringComparison.Ordinal))), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(baseline, after);
    }

    /// <summary>A sample is named when its innermost frame (user frame if it has any, else kernel) has a function name.</summary>
    private static bool IsNamed(ExportedSample sample)
    {
        var frames = sample.Frames.ToList();
        var leaf = frames.FirstOrDefault(f => ExportedSample.FrameType(f) != SemanticConventions.FrameTypeKernel) ?? frames.FirstOrDefault();
        return leaf is not null && ExportedSample.FunctionName(leaf) is { Length: > 0 };
    }

    private static async Task<double> TrackedAsync(SymbolizingRun run)
    {
        var (status, _, body) = await Scrapes.GetAsync($"http://localhost:{run.TelemetryPort}/metrics");
        Assert.Equal(200, status);
        return MetricsText.Value(body, TrackedProcesses) ?? throw new InvalidOperationException($"{TrackedProcesses} is not exported:\n{body}");
    }

    /// <summary>Runs the child (3 ms of CPU each) back to back from one bash loop for <paramref name="duration"/>; returns how many ran.</summary>
    private static async Task<int> SpawnForAsync(NamedWorkload child, TimeSpan duration)
    {
        var info = new ProcessStartInfo("bash") { UseShellExecute = false, RedirectStandardOutput = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add($"n=0; while [ $SECONDS -lt {(int)duration.TotalSeconds} ]; do \"$0\" once 3 || exit 1; n=$((n+1)); done; echo $n");
        info.ArgumentList.Add(child.Path);
        using var loop = Process.Start(info)!;
        var count = await loop.StandardOutput.ReadToEndAsync();
        await loop.WaitForExitAsync();
        Assert.Equal(0, loop.ExitCode);
        return int.Parse(count.Trim(), CultureInfo.InvariantCulture);
    }
}
