using System.Globalization;
using Collector.Bpf;
using Collector.Core.Model;
using Collector.Receivers.Ebpf;
using Collector.Receivers.Tests.Ebpf.Support;
using Xunit.Abstractions;

namespace Collector.Receivers.Tests.Ebpf.Unwinding;

/// <summary>
/// Acceptance for <c>native_unwinding: auto</c>: programs built without frame pointers get complete stacks, from the
/// leaf through the signal frames and libc to <c>_start</c>, with the caller chains perf's DWARF mode finds.
/// </summary>
[Collection(EbpfCollection.Name)]
public sealed class NativeUnwindingTests(ITestOutputHelper output) : IDisposable
{
    private const int Frequency = 99;

    /// <summary>
    /// Long enough that a process's first moments do not dominate: until the receiver has read its maps and built
    /// its tables (the exec reaches it at the next 500 ms tick), a process is walked by frame pointer.
    /// </summary>
    private const double Seconds = 12;

    private readonly string _work = Directory.CreateTempSubdirectory("ebpf-unwind-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public async Task C_without_frame_pointers_reaches_start_with_perfs_caller_chains()
    {
        if (!Prerequisites.Bpf(output) || !Prerequisites.Tools(output, "clang-14", "nm"))
        {
            return;
        }
        var workload = CompiledWorkload.Build(_work, "nofp", ".c", UnwindWorkloads.C, "clang-14",
            "-O2", "-fomit-frame-pointer", "-momit-leaf-frame-pointer", "-fno-pie", "-no-pie");

        var samples = await SampleAsync(workload, Seconds);
        var chains = samples.Select(s => workload.OwnFrames(s.UserFrames.Span)).ToList();
        var complete = chains.Count(chain => chain.Length > 0 && chain[^1] == "_start");
        Report("C -O2 -fomit-frame-pointer", samples, complete, chains);
        Assert.True(complete >= 0.95 * samples.Count, $"{complete} of {samples.Count} stacks reach _start");

        if (!Prerequisites.Tools(output, "perf"))
        {
            return;
        }
        var perfChains = PerfDwarf.Record(workload.Path, _work, 5, Frequency, workload.Defines);
        var ours = Frequent(chains);
        var theirs = Frequent(perfChains);
        output.WriteLine($"perf --call-graph dwarf: {perfChains.Count} samples, {perfChains.Count(c => c.Length > 0 && c[^1] == "_start")} reach _start");
        foreach (var chain in ours.Union(theirs))
        {
            output.WriteLine($"  {(ours.Contains(chain) ? "ours" : "    ")} {(theirs.Contains(chain) ? "perf" : "    ")} {chain}");
        }
        Assert.Equal(theirs.Order(StringComparer.Ordinal), ours.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_signal_handler_stack_crosses_the_signal_frame_into_the_interrupted_function()
    {
        if (!Prerequisites.Bpf(output) || !Prerequisites.Tools(output, "clang-14", "nm"))
        {
            return;
        }
        var workload = CompiledWorkload.Build(_work, "signal", ".c", UnwindWorkloads.Signal, "clang-14",
            "-O2", "-fomit-frame-pointer", "-fno-pie", "-no-pie");
        var samples = await SampleAsync(workload, Seconds);
        var chains = samples.Select(s => workload.OwnFrames(s.UserFrames.Span)).ToList();
        var inHandler = chains.Where(c => c.Length > 0 && c[0] == "spin_in_handler").ToList();
        foreach (var chain in inHandler.Select(c => string.Join(" ← ", c)).Distinct().Take(5))
        {
            output.WriteLine($"  in the handler: {chain}");
        }
        var crossed = inHandler.Count(c => c is ["spin_in_handler", "on_alarm", .., "interrupted_loop", "main", "_start"]);
        Report("spinning in a SIGALRM handler", samples, chains.Count(c => c.Length > 0 && c[^1] == "_start"), chains);
        output.WriteLine($"{inHandler.Count} samples in the handler, {crossed} cross the signal frame to interrupted_loop ← main ← _start");
        Assert.True(inHandler.Count > 20, "the handler hardly ran");
        Assert.True(crossed >= 0.9 * inHandler.Count, $"{crossed} of {inHandler.Count} handler stacks cross the signal frame");
    }

    [Fact]
    public async Task Cpp_with_inlining_and_exceptions_is_complete()
    {
        if (!Prerequisites.Bpf(output) || !Prerequisites.Tools(output, "clang++-14", "nm"))
        {
            return;
        }
        var workload = CompiledWorkload.Build(_work, "cpp", ".cpp", UnwindWorkloads.Cpp, "clang++-14",
            "-O2", "-fomit-frame-pointer", "-fno-pie", "-no-pie");
        var samples = await SampleAsync(workload, Seconds);
        var chains = samples.Select(s => workload.OwnFrames(s.UserFrames.Span)).ToList();
        var complete = chains.Count(c => c.Length > 0 && c[^1] == "_start");
        Report("C++ -O2 -fomit-frame-pointer", samples, complete, chains);
        Assert.True(complete >= 0.9 * samples.Count, $"{complete} of {samples.Count} stacks reach _start");
    }

    /// <summary>Runs the workload under the receiver with native unwinding and returns its samples.</summary>
    internal async Task<List<RawSample>> SampleAsync(CompiledWorkload workload, double seconds, params string[] extra)
    {
        await using var session = await ReceiverSession.StartAsync(output, new EbpfProfilingOptions { SamplesPerSecond = Frequency });
        Assert.NotNull(session.Receiver.Unwinder);
        using var process = workload.Start([seconds.ToString(CultureInfo.InvariantCulture), .. extra]);
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        output.WriteLine($"tables loaded {session.Receiver.Unwinder!.Tables.LoadedTables}, {session.Receiver.Unwinder.Tables.KernelBytes} bytes");
        await session.StopAsync();
        output.WriteLine($"user walks: complete {session.Receiver.UserStops(UserStackStop.Complete)}, no_process {session.Receiver.UserStops(UserStackStop.NoProcess)}, "
            + $"no_table {session.Receiver.UserStops(UserStackStop.NoTable)}, no_mapping {session.Receiver.UserStops(UserStackStop.NoMapping)}, "
            + $"read_fault {session.Receiver.UserStops(UserStackStop.ReadFault)}, unsupported {session.Receiver.UserStops(UserStackStop.Unsupported)}, "
            + $"depth {session.Receiver.UserStops(UserStackStop.DepthLimit)}; tables {session.Receiver.Unwinder!.Tables.LoadedTables}, "
            + $"{session.Receiver.Unwinder.Tables.KernelBytes} bytes, {session.Receiver.Unwinder.Tables.Failures} files without a table (last refusal {session.Receiver.Unwinder.Tables.LastRefusal})");
        return [.. session.Consumer.Samples.Where(s => s.Pid == process.Id && s.UserFrames.Length > 0)];
    }

    internal void Report(string what, List<RawSample> samples, int complete, List<string[]> chains)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what}: {samples.Count} samples, {complete} ({100.0 * complete / Math.Max(1, samples.Count):F1}%) reach _start"));
        foreach (var odd in chains.Where(c => c.Length == 0 || c[^1] != "_start").Take(5))
        {
            output.WriteLine($"  incomplete: {string.Join(" ← ", odd)}");
        }
    }

    /// <summary>Distinct chains that make up at least 3% of the samples (rarer ones depend on where the ticks fell).</summary>
    private static HashSet<string> Frequent(List<string[]> chains) =>
        [.. chains.Select(c => string.Join(" ← ", c)).GroupBy(c => c).Where(g => g.Count() >= 0.03 * chains.Count).Select(g => g.Key)];
}
