using Collector.Core.Model;
using Collector.Host.Tests.Support;

namespace Collector.Host.Tests.EndToEnd;

/// <summary>Acceptance: a .NET program run with DOTNET_PerfMapEnabled=1 has its JIT-compiled hot method named and typed dotnet.</summary>
[Collection(LiveProfilingCollection.Name)]
public sealed class JitFramesTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_hot_method_of_a_dotnet_program_is_named_from_its_perf_map_with_frame_type_dotnet()
    {
        LiveProfiling.Require();
        using var directory = new TempDirectory();
        var dll = DotnetWorkload.Build(directory.Path, out var problem);
        Assert.True(dll is not null, problem);

        // The workload runs first so its pid can be the filter (its comm is plain "dotnet").
        using var workload = DotnetWorkload.Start(dll, seconds: 12);
        using var run = await SymbolizingRun.StartAsync(directory, $"    pids: [{workload.Id}]", output);
        await Task.Delay(TimeSpan.FromSeconds(5));
        var batches = await run.StopAsync();
        workload.Kill();

        var samples = ExportedSample.All(batches).Where(s => s.Pid == workload.Id).ToList();
        static bool IsSpin(Location frame) => ExportedSample.FunctionName(frame)?.Contains("Workload::Spin", StringComparison.Ordinal) == true;
        var total = samples.Sum(s => s.Weight);
        var inSpin = samples.Where(s => s.Frames.Any(IsSpin)).Sum(s => s.Weight);
        var spinFrames = samples.SelectMany(s => s.Frames).Where(IsSpin).ToList();
        output.WriteLine($"{total} samples of the workload, {inSpin} with Workload::Spin on the stack, e.g. {spinFrames.Select(ExportedSample.FunctionName).FirstOrDefault()}; " +
            $"frame types: {string.Join(", ", samples.SelectMany(s => s.Frames).GroupBy(ExportedSample.FrameType).Select(g => $"{g.Key} {g.Count()}"))}");

        // The program does nothing but call Spin once its start-up is over.
        Assert.True(total >= 20, $"only {total} samples of the workload");
        Assert.True(inSpin >= 0.5 * total, $"only {inSpin} of {total} samples have Workload::Spin on the stack");
        Assert.All(spinFrames, f => Assert.Equal(SemanticConventions.FrameTypeDotnet, ExportedSample.FrameType(f)));
    }
}
