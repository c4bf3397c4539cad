using Collector.Core.Model;
using Collector.Host.Tests.Support;
using Collector.Receivers.Tests.Ebpf.Support;
using Xunit.Abstractions;

namespace Collector.Host.Tests.EndToEnd;

/// <summary>Acceptance: a .NET program run with DOTNET_PerfMapEnabled=1 has its JIT-compiled hot method named and typed dotnet.</summary>
[Collection(LiveProfilingCollection.Name)]
public sealed class JitFramesTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_hot_method_of_a_dotnet_program_is_named_from_its_perf_map_with_frame_type_dotnet()
    {
        if (!LiveProfiling.Available(output)) return;
        using var directory = new TempDirectory();
        var dll = DotnetWorkload.Build(directory.Path, out var problem);
        Assert.True(dll is not null, problem);

        // The workload runs first so its pid can be the filter (its comm is plain "dotnet").
        using var workload = DotnetWorkload.Start(dll, seconds: 12);
        using var run = await SymbolizingRun.StartAsync(directory, $"    pids: [{workload.Id}]", output);
        await Task.Delay(TimeSpan.FromSeconds(5));
        var batches = await run.StopAsync();
        workload.Kill();

        var frames = ExportedSample.All(batches).Where(s => s.Pid == workload.Id).SelectMany(s => s.Frames).ToList();
        var spin = frames.Where(f => ExportedSample.FunctionName(f)?.Contains("Workload::Spin", StringComparison.Ordinal) == true).ToList();
        output.WriteLine($"{frames.Count} frames of the workload; {spin.Count} name Workload::Spin, e.g. {spin.Select(ExportedSample.FunctionName).FirstOrDefault()}; " +
            $"frame types: {string.Join(", ", frames.GroupBy(ExportedSample.FrameType).Select(g => $"{g.Key} {g.Count()}"))}");

        Assert.True(spin.Count >= 50, $"only {spin.Count} frames named Workload::Spin");
        Assert.All(spin, f => Assert.Equal(SemanticConventions.FrameTypeDotnet, ExportedSample.FrameType(f)));
    }
}
