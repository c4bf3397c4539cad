using System.Globalization;
using Collector.Receivers.Ebpf;
using Collector.Receivers.Tests.Ebpf.Support;

namespace Collector.Receivers.Tests.Ebpf;

/// <summary>
/// Acceptance: what the receiver samples is what ran. A C workload's user stacks resolve (by its own symbol
/// table) to its call chain in the proportions it spends time; a syscall loop yields kernel stacks; a .NET
/// program's JIT frames lie in its memfd:doublemapper mappings.
/// </summary>
[Collection(EbpfCollection.Name)]
public sealed class StackAcceptanceTests(ITestOutputHelper output) : IDisposable
{
    private const int Frequency = 99;

    /// <summary>Kernel addresses live in the upper half of the x86-64 address space.</summary>
    private const ulong KernelSpaceStart = 0xffff_8000_0000_0000;

    private readonly string _work = Directory.CreateTempSubdirectory("ebpf-stacks-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public async Task C_workload_stacks_read_leaf_mid_main_with_a_70_30_split_at_the_sampling_rate()
    {
        Prerequisites.Bpf();
        Prerequisites.Tools("clang-14", "nm");
        var workload = NativeWorkload.Build(_work);
        Assert.True(workload.Defines("leaf_hot") && workload.Defines("leaf_cold") && workload.Defines("mid") && workload.Defines("main"));

        const double Seconds = 5;
        await using var session = await ReceiverSession.StartAsync(output, new EbpfProfilingOptions { SamplesPerSecond = Frequency });
        using var process = workload.Start("cpu", Seconds);
        var cpuSeconds = NativeWorkload.WaitForCpuSeconds(process);
        await session.StopAsync();

        var samples = session.Consumer.RawSamples.Where(s => s.Pid == process.Id).ToList();
        var chains = samples.Select(s => s.UserFrames.ToArray().Take(3).Select(workload.Resolve).ToArray()).ToList();
        var hot = chains.Count(c => c is ["leaf_hot", "mid", "main"]);
        var cold = chains.Count(c => c is ["leaf_cold", "mid", "main"]);
        var expected = Frequency * cpuSeconds;
        var hotShare = 100.0 * hot / Math.Max(1, hot + cold);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{samples.Count} samples for {cpuSeconds:F2} CPU seconds in {Seconds} s (expected {expected:F0}; {Frequency * Seconds:F0} if it had a CPU to itself); "
            + $"{hot + cold} ({100.0 * (hot + cold) / Math.Max(1, samples.Count):F1}%) read leaf ← mid ← main; hot/cold {hotShare:F1}/{100 - hotShare:F1}"));
        foreach (var odd in chains.Where(c => c is not ([_, "mid", "main"])).Take(5))
        {
            output.WriteLine($"  other stack: {string.Join(" ← ", odd.Select(name => name ?? "?"))}");
        }

        Assert.InRange(samples.Count, expected * 0.85, expected * 1.15);
        Assert.True(hot + cold >= 0.9 * samples.Count, $"only {hot + cold} of {samples.Count} samples read leaf ← mid ← main");
        Assert.InRange(hotShare, 60, 80);
        Assert.Equal(0, session.Receiver.RecordsLost);
        Assert.Equal(0, session.Receiver.LateRecords);
    }

    /// <summary>Both programs ask for a kernel stack only when the sample interrupted the kernel: that test must hold in each.</summary>
    [Theory]
    [InlineData(EbpfProfilingOptions.NativeUnwindingAuto)]
    [InlineData(EbpfProfilingOptions.NativeUnwindingFramePointers)]
    public async Task Syscall_heavy_workload_yields_kernel_stacks(string unwinding)
    {
        Prerequisites.Bpf();
        Prerequisites.Tools("clang-14", "nm");
        var workload = NativeWorkload.Build(_work);
        await using var session = await ReceiverSession.StartAsync(output, new EbpfProfilingOptions { SamplesPerSecond = Frequency, NativeUnwinding = unwinding });
        using var process = workload.Start("syscalls", 2);
        NativeWorkload.WaitForCpuSeconds(process);
        await session.StopAsync();

        var samples = session.Consumer.RawSamples.Where(s => s.Pid == process.Id).ToList();
        var withKernel = samples.Where(s => s.KernelFrames.Length > 0).ToList();
        output.WriteLine($"{withKernel.Count} of {samples.Count} samples carry a kernel stack; deepest {withKernel.Select(s => s.KernelFrames.Length).DefaultIfEmpty().Max()} frames");

        Assert.NotEmpty(samples);
        Assert.True(withKernel.Count >= samples.Count / 4, "too few kernel stacks for a syscall loop");
        Assert.All(withKernel, s => Assert.True(s.KernelFrames.Span[0] >= KernelSpaceStart, "a kernel frame outside kernel space"));
        // The same samples also show where user space entered the kernel.
        Assert.Contains(withKernel, s => s.UserFrames.Length > 0);
    }

    [Fact]
    public async Task Dotnet_workload_jit_frames_fall_in_its_doublemapper_mappings()
    {
        Prerequisites.Bpf();
        var dll = DotnetWorkload.Build(_work, out var problem);
        if (dll is null) ExternalTools.Unavailable(problem!);

        await using var session = await ReceiverSession.StartAsync(output, new EbpfProfilingOptions { SamplesPerSecond = Frequency });
        using var process = DotnetWorkload.Start(dll, 3);
        await Task.Delay(TimeSpan.FromSeconds(2));
        // Read while it runs: the JIT's double-mapped code exists only in the live process.
        var jitRanges = File.ReadLines($"/proc/{process.Id}/maps")
            .Where(line => line.Contains("memfd:doublemapper", StringComparison.Ordinal))
            .Select(ParseRange)
            .ToList();
        var perfMap = $"/tmp/perf-{process.Id}.map";
        await process.WaitForExitAsync();
        await session.StopAsync();

        var samples = session.Consumer.RawSamples.Where(s => s.Pid == process.Id && s.UserFrames.Length > 0).ToList();
        bool InJit(ulong address) => jitRanges.Any(r => address >= r.Start && address < r.End);
        var leafInJit = samples.Count(s => InJit(s.UserFrames.Span[0]));
        var walkedThroughJit = samples.Count(s => s.UserFrames.ToArray().Count(InJit) >= 2);
        output.WriteLine($"{jitRanges.Count} doublemapper mappings; {samples.Count} samples with user stacks, {leafInJit} with the leaf in JIT code, "
            + $"{walkedThroughJit} with two or more JIT frames; perf map {(File.Exists(perfMap) ? "written" : "missing")}");

        Assert.NotEmpty(jitRanges);
        Assert.True(File.Exists(perfMap), "DOTNET_PerfMapEnabled=1 did not produce a perf map");
        File.Delete(perfMap);
        Assert.True(leafInJit >= samples.Count / 2, "the spinning JIT method should be the leaf of most samples");
        Assert.True(walkedThroughJit >= samples.Count / 2, "frame-pointer walks should pass from one JIT frame to its JIT caller");
    }

    private static (ulong Start, ulong End) ParseRange(string mapsLine)
    {
        var range = mapsLine[..mapsLine.IndexOf(' ', StringComparison.Ordinal)].Split('-');
        return (ulong.Parse(range[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture), ulong.Parse(range[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
    }
}
