using System.Diagnostics;
using System.Globalization;
using Collector.Core.Model;
using Collector.Host.Tests.Support;

namespace Collector.Host.Tests.EndToEnd;

/// <summary>
/// Acceptance under process churn (DESIGN.md lesson 5): a shell loop spawns thousands of short-lived processes
/// while the sidecar pipeline profiles them. Their samples are named although most exit before anyone can read
/// their /proc entries, no error is logged about state that never existed, and the process table shrinks back.
/// With <c>native_unwinding: auto</c> the unwinder builds tables for them and writes their mappings to the kernel;
/// once they have exited and the watermark passed, its kernel memory (tables and process mappings) returns to
/// what it was before the churn.
/// </summary>
[Collection(LiveProfilingCollection.Name)]
public sealed class ProcessChurnTests(ITestOutputHelper output)
{
    /// <summary>The pid_lifecycle gauge of processes held in the table (any state but forgotten).</summary>
    private const string TrackedProcesses = "otelcol_processor_tracked_processes";

    /// <summary>The receiver's gauge of the unwinder's kernel memory, by kind (tables, process_mappings).</summary>
    private const string UnwindMemory = "otelcol_receiver_unwind_table_memory_bytes";

    [Fact]
    public async Task Five_thousand_short_lived_processes_in_a_minute_are_named_leave_no_error_and_the_table_returns_to_baseline()
    {
        LiveProfiling.Require("clang-14", "nm", "readelf", "bash");
        using var directory = new TempDirectory();
        var child = NamedWorkload.Build(directory.Path, "churnwork");
        using var run = await SymbolizingRun.StartAsync(directory, $"    process_names: [\"^{child.Name}$\"]\n    native_unwinding: auto", output);
        var baseline = await TrackedAsync(run);
        var memoryBaseline = await UnwindMemoryAsync(run);

        // The unwinder's memory while the processes come and go: it must rise (tables are built) to show the
        // return to baseline means something.
        using var spawning = new CancellationTokenSource();
        var peak = PeakUnwindMemoryAsync(run, spawning.Token);
        var spawned = await SpawnForAsync(child, TimeSpan.FromSeconds(60));
        await spawning.CancelAsync();
        var (peakTables, peakMappings) = await peak;
        // Exits are forgotten once the watermark (2 Hz, at most 1 s behind) passes them: within 1.5 s on an idle
        // machine, later when other work delays the pipeline; exits the ring buffer lost wait for the 30 s sweep.
        // A table no process maps any more stays 10 s (the unwinder's linger), then is unloaded.
        var after = await TrackedAsync(run);
        var memoryAfter = await UnwindMemoryAsync(run);
        for (var waited = Stopwatch.StartNew(); (after != baseline || memoryAfter != memoryBaseline) && waited.Elapsed < TimeSpan.FromSeconds(50);)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            after = await TrackedAsync(run);
            memoryAfter = await UnwindMemoryAsync(run);
        }
        var batches = await run.StopAsync();

        var samples = ExportedSample.All(batches).Where(s => s.ThreadName == child.Name).ToList();
        var total = samples.Sum(s => s.Weight);
        var named = samples.Where(s => IsNamed(s)).Sum(s => s.Weight);
        var problems = run.Stderr.Split('\n').Where(line => line.Contains(" fail: ", StringComparison.Ordinal) || line.Contains(" crit: ", StringComparison.Ordinal)).ToList();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{spawned} processes spawned; {total} samples in them, {named} ({100.0 * named / Math.Max(1, total):F1}%) named; tracked processes {baseline} before, {after} after"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"unwinder kernel memory (bytes): tables {memoryBaseline.Tables} before, {peakTables} at the peak, {memoryAfter.Tables} after; process mappings {memoryBaseline.Mappings} before, {peakMappings} at the peak, {memoryAfter.Mappings} after"));

        Assert.True(spawned >= 5000, $"only {spawned} processes spawned in 60 s");
        Assert.True(total >= 200, $"only {total} samples in the short-lived processes");
        Assert.True(named >= 0.8 * total, $"only {named} of {total} samples named");
        Assert.Empty(problems);
        Assert.DoesNotContain("state", string.Join('\n', run.Stderr.Split('\n').Where(line => line.Contains(" warn: ", StringComparison.Ordinal))), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(baseline, after);
        Assert.True(peakTables > memoryBaseline.Tables, "the unwinder built no table for the short-lived processes");
        Assert.Equal(memoryBaseline, memoryAfter);
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

    private static async Task<(double Tables, double Mappings)> UnwindMemoryAsync(SymbolizingRun run)
    {
        var (status, _, body) = await Scrapes.GetAsync($"http://localhost:{run.TelemetryPort}/metrics");
        Assert.Equal(200, status);
        return (MetricsText.Value(body, UnwindMemory, "kind=\"tables\"") ?? throw new InvalidOperationException($"{UnwindMemory} is not exported:\n{body}"),
            MetricsText.Value(body, UnwindMemory, "kind=\"process_mappings\"") ?? throw new InvalidOperationException($"{UnwindMemory} is not exported:\n{body}"));
    }

    /// <summary>The largest unwinder memory seen by scraping every half second until cancelled.</summary>
    private static async Task<(double Tables, double Mappings)> PeakUnwindMemoryAsync(SymbolizingRun run, CancellationToken cancel)
    {
        double tables = 0, mappings = 0;
        while (!cancel.IsCancellationRequested)
        {
            var (t, m) = await UnwindMemoryAsync(run);
            tables = Math.Max(tables, t);
            mappings = Math.Max(mappings, m);
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), cancel);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        return (tables, mappings);
    }

    /// <summary>
    /// Runs the child back to back from one bash loop for <paramref name="duration"/>; returns how many ran. Each spins
    /// 3 ms, except every 50th, which spins 100 ms: the unwinder reads a process's maps 30 ms after its exec (once
    /// ld.so has mapped its libraries), so only children that live that long get tables, and without any the return
    /// of table memory to its baseline would prove nothing. Left to chance, a few 3 ms children were descheduled long
    /// enough on some runs and on others none was.
    /// </summary>
    private static async Task<int> SpawnForAsync(NamedWorkload child, TimeSpan duration)
    {
        var info = new ProcessStartInfo("bash") { UseShellExecute = false, RedirectStandardOutput = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add($"n=0; while [ $SECONDS -lt {(int)duration.TotalSeconds} ]; do ms=3; [ $((n % 50)) -eq 0 ] && ms=100; \"$0\" once $ms || exit 1; n=$((n+1)); done; echo $n");
        info.ArgumentList.Add(child.Path);
        using var loop = Process.Start(info)!;
        var count = await loop.StandardOutput.ReadToEndAsync();
        await loop.WaitForExitAsync();
        Assert.Equal(0, loop.ExitCode);
        return int.Parse(count.Trim(), CultureInfo.InvariantCulture);
    }
}
