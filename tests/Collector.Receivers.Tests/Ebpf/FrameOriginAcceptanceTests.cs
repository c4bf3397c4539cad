using Collector.Receivers.Ebpf;
using Collector.Receivers.Tests.Ebpf.Support;

namespace Collector.Receivers.Tests.Ebpf;

/// <summary>
/// Acceptance: raw samples carry, for each user frame, the build id and file offset the kernel found it in (what
/// names frames of processes gone before their maps were read), and <c>user_build_ids: false</c> turns them off.
/// </summary>
[Collection(EbpfCollection.Name)]
public sealed class FrameOriginAcceptanceTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("ebpf-origins-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public async Task Frames_of_the_workload_carry_one_build_id_and_offsets_one_load_bias_away_from_their_addresses()
    {
        Prerequisites.Bpf();
        Prerequisites.Tools("clang-14", "nm");
        var workload = NativeWorkload.Build(_work);
        // The kernel's build ids and offsets come with the frame-pointer walk: it is what names frames of processes that
        // exit before their maps can be read. Frames the .eh_frame unwinder walks are placed from maps instead.
        var samples = await SampleAsync(workload, new EbpfProfilingOptions { SamplesPerSecond = 99, NativeUnwinding = EbpfProfilingOptions.NativeUnwindingFramePointers });

        Assert.True(samples.Count >= 20, $"only {samples.Count} samples of the workload");
        Assert.All(samples, s => Assert.Equal(s.UserFrames.Length, s.UserFrameOrigins.Length));
        // Frames inside the workload (named by its own symbol table) lie in its one text segment.
        var inWorkload = samples
            .SelectMany(s => Enumerable.Range(0, s.UserFrames.Length)
                .Where(i => workload.Resolve(s.UserFrames.Span[i]) is not null)
                .Select(i => (Address: s.UserFrames.Span[i], Origin: s.UserFrameOrigins.Span[i])))
            .ToList();
        var known = inWorkload.Where(f => f.Origin.IsKnown).ToList();
        output.WriteLine($"{samples.Count} samples, {inWorkload.Count} frames in the workload, {known.Count} with a known origin; "
            + $"build ids {string.Join(", ", known.Select(f => f.Origin.BuildId).Distinct())}; "
            + $"address - offset {string.Join(", ", known.Select(f => (f.Address - f.Origin.FileOffset).ToString("x", System.Globalization.CultureInfo.InvariantCulture)).Distinct())}");
        Assert.True(known.Count >= inWorkload.Count * 0.9, $"{known.Count} of {inWorkload.Count} workload frames have a known origin");
        Assert.Single(known.Select(f => f.Origin.BuildId).Distinct());
        Assert.Single(known.Select(f => f.Address - f.Origin.FileOffset).Distinct());
    }

    [Fact]
    public async Task Turning_user_build_ids_off_leaves_samples_without_origins()
    {
        Prerequisites.Bpf();
        Prerequisites.Tools("clang-14", "nm");
        var workload = NativeWorkload.Build(_work);
        var samples = await SampleAsync(workload, new EbpfProfilingOptions { SamplesPerSecond = 99, UserBuildIds = false });

        Assert.NotEmpty(samples);
        Assert.All(samples, s => Assert.True(s.UserFrameOrigins.IsEmpty));
        Assert.Contains(samples, s => !s.UserFrames.IsEmpty);
    }

    private async Task<List<Core.Model.RawSample>> SampleAsync(NativeWorkload workload, EbpfProfilingOptions options)
    {
        await using var session = await ReceiverSession.StartAsync(output, options);
        using var process = workload.Start("cpu", 1.5);
        NativeWorkload.WaitForCpuSeconds(process);
        await session.StopAsync();
        return [.. session.Consumer.RawSamples.Where(s => s.Pid == process.Id)];
    }
}
