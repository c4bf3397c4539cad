using System.Globalization;
using Collector.Core.Model;
using Collector.Host.Tests.Support;

namespace Collector.Host.Tests.EndToEnd;

/// <summary>
/// Acceptance of the sidecar pipeline ebpf_profiling → pid_lifecycle → symbolization → file: every frame of a
/// real workload is named by the agent itself, with the file and build id the system's own tools report.
/// </summary>
[Collection(LiveProfilingCollection.Name)]
public sealed class SymbolizedProfilesTests(ITestOutputHelper output)
{
    [Fact]
    public async Task C_workload_frames_carry_the_names_nm_prints_their_file_and_the_build_id_readelf_prints()
    {
        LiveProfiling.Require("clang-14", "nm", "readelf");
        using var directory = new TempDirectory();
        var workload = NamedWorkload.Build(directory.Path, "symwork");

        var batches = await ProfileAsync(directory, workload, "cpu", seconds: 4);

        var samples = ExportedSample.All(batches).Where(s => s.ThreadName == workload.Name).ToList();
        var total = samples.Sum(s => s.Weight);
        long chains = 0;
        foreach (var sample in samples)
        {
            var own = sample.Frames.Where(f => f.Mapping?.Filename == workload.Path).ToList();
            if (own.Count >= 3 && ExportedSample.FunctionName(own[0]) is "leaf_hot" or "leaf_cold" &&
                ExportedSample.FunctionName(own[1]) == "mid" && ExportedSample.FunctionName(own[2]) == "main")
            {
                chains += sample.Weight;
            }
        }
        var ownFrames = samples.SelectMany(s => s.Frames).Where(f => f.Mapping?.Filename == workload.Path).ToList();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{total} samples of {workload.Name}; {chains} ({100.0 * chains / Math.Max(1, total):F1}%) read leaf_hot|leaf_cold ← mid ← main; build id {workload.BuildId}"));

        // A loaded machine gives the workload less CPU; a few dozen samples still tell names from misnames.
        Assert.True(total >= 20, $"only {total} samples of the workload");
        Assert.True(chains >= 0.95 * total, $"only {chains} of {total} samples read leaf ← mid ← main");
        Assert.All(ownFrames, frame =>
        {
            Assert.Equal(workload.BuildId, ExportedSample.BuildId(frame.Mapping));
            Assert.Contains(ExportedSample.FunctionName(frame) ?? "(unnamed)", workload.Functions);
            Assert.Equal(SemanticConventions.FrameTypeNative, ExportedSample.FrameType(frame));
        });
    }

    [Fact]
    public async Task Frames_inside_libc_are_named_from_its_dynamic_symbols()
    {
        LiveProfiling.Require("clang-14", "nm", "readelf");
        using var directory = new TempDirectory();
        var workload = NamedWorkload.Build(directory.Path, "libcwork");

        var batches = await ProfileAsync(directory, workload, "libc", seconds: 3);

        var leaves = ExportedSample.All(batches)
            .Where(s => s.ThreadName == workload.Name)
            .Select(s => (Sample: s, Leaf: s.Frames.FirstOrDefault(f => ExportedSample.FrameType(f) != SemanticConventions.FrameTypeKernel)))
            .Where(s => s.Leaf?.Mapping?.Filename.EndsWith("/libc.so.6", StringComparison.Ordinal) == true)
            .ToList();
        Assert.True(leaves.Count > 0, "no sample had its leaf in libc");
        var libc = leaves[0].Leaf!.Mapping!.Filename;
        var exported = NamedWorkload.DynamicFunctions(libc);
        var named = leaves.Where(l => ExportedSample.FunctionName(l.Leaf!) is { } name && exported.Contains(name)).Sum(l => l.Sample.Weight);
        var total = leaves.Sum(l => l.Sample.Weight);
        output.WriteLine($"{total} samples with the leaf in {libc}; {named} named with a symbol nm -D lists: " +
            string.Join(", ", leaves.Select(l => ExportedSample.FunctionName(l.Leaf!) ?? "?").Distinct()));

        Assert.True(named >= 0.95 * total, $"only {named} of {total} libc leaves were named from .dynsym");
        Assert.All(leaves, l => Assert.Equal(NamedWorkload.ReadBuildId(libc), ExportedSample.BuildId(l.Leaf!.Mapping)));
    }

    [Fact]
    public async Task Kernel_frames_of_a_syscall_loop_are_named_and_typed_kernel()
    {
        LiveProfiling.Require("clang-14", "nm", "readelf");
        using var directory = new TempDirectory();
        var workload = NamedWorkload.Build(directory.Path, "syswork");

        var batches = await ProfileAsync(directory, workload, "syscalls", seconds: 3);

        var kernelSymbols = File.ReadLines("/proc/kallsyms").Select(line => line.Split([' ', '\t'])[2]).ToHashSet(StringComparer.Ordinal);
        // Weighted by how many samples each (merged) stack stands for.
        var kernelFrames = ExportedSample.All(batches)
            .Where(s => s.ThreadName == workload.Name)
            .SelectMany(s => s.Frames.Where(f => ExportedSample.FrameType(f) == SemanticConventions.FrameTypeKernel).Select(f => (Frame: f, s.Weight)))
            .ToList();
        var total = kernelFrames.Sum(k => k.Weight);
        var named = kernelFrames.Where(k => ExportedSample.FunctionName(k.Frame) is { } name && kernelSymbols.Contains(name)).Sum(k => k.Weight);
        output.WriteLine($"{total} kernel frames in the workload's samples, {named} named with a /proc/kallsyms symbol, e.g. " +
            string.Join(", ", kernelFrames.Select(k => ExportedSample.FunctionName(k.Frame)).Where(n => n is not null).Distinct().Take(8)));

        Assert.True(total >= 30, $"only {total} kernel frames");
        Assert.True(named >= 0.95 * total, $"only {named} of {total} kernel frames named");
        Assert.All(kernelFrames.Where(k => ExportedSample.FunctionName(k.Frame) is not null), k => Assert.False(string.IsNullOrEmpty(k.Frame.Mapping?.Filename)));
    }

    private async Task<List<ProfileBatch>> ProfileAsync(TempDirectory directory, NamedWorkload workload, string mode, double seconds)
    {
        using var run = await SymbolizingRun.StartAsync(directory, $"    process_names: [\"^{workload.Name}$\"]", output);
        using (var process = workload.Start(mode, seconds))
        {
            await ProcessDeadline.WaitForExitAsync(process, TimeSpan.FromSeconds(5 * seconds + 60));
            Assert.Equal(0, process.ExitCode);
        }
        // Past one report interval and a watermark tick, so the last samples are exported before we stop.
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        return await run.StopAsync();
    }
}
