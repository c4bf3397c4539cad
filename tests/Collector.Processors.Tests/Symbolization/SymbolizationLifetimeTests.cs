using Collector.Core.Model;
using Collector.Processors.Symbolization;
using Collector.Processors.Tests.Symbolization.Kernel;
using static Collector.Processors.Tests.Symbolization.Batches;

namespace Collector.Processors.Tests.Symbolization;

/// <summary>
/// The lifetime acceptance test of issue 4 (DESIGN.md lesson 3): one process sampled every minute for 24 hours
/// under a one-hour cache lifetime never loses a frame's name, file name or build id, while sources nobody
/// asks for any more do expire.
/// </summary>
public sealed class SymbolizationLifetimeTests(ITestOutputHelper output) : IDisposable
{
    private const int SteadyPid = 100;
    private const int ShortLivedPid = 200;
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);
    private readonly SymbolizerSandbox _sandbox = new();

    [Fact]
    public async Task A_process_sampled_every_minute_for_24_hours_keeps_every_frame_named_and_unused_sources_expire()
    {
        var workload = NativeWorkload.Build(_sandbox.Root);
        var shortLived = NativeWorkload.Build(_sandbox.Root, variant: 2, name: "short_lived");
        _sandbox.WriteKallsyms(KallsymsParserTests.CoreAndE1000);
        File.WriteAllText(Path.Combine(_sandbox.PerfMapDirectory, $"perf-{SteadyPid}.map"), "7f0000001000 100 Steady::Hot()\n");
        File.WriteAllText(Path.Combine(_sandbox.PerfMapDirectory, $"perf-{ShortLivedPid}.map"), "7f0000001000 100 ShortLived::Run()\n");
        var next = new CapturingConsumer();
        var processor = new SymbolizationProcessor(_sandbox.Settings, new SymbolizationOptions { CacheLifetime = Lifetime }, next, _sandbox.Environment);

        var expected = new[] { "e1000_xmit", "do_syscall_64", "Steady::Hot()", "leaf_hot", "mid", "main" };
        const int ShortLivedMinutes = 10;
        var unnamed = 0;
        for (var minute = 0; minute < 24 * 60; minute++)
        {
            // A fresh batch each minute, as pid_lifecycle emits it: new, unnamed locations every time.
            var steady = Process(SteadyPid, Stack(KernelFrame(0xffffffffc0001010), KernelFrame(0xffffffff81001010), JitFrame(0x7f0000001010),
                workload.Frame("leaf_hot"), workload.Frame("mid"), workload.Frame("main")));
            var batch = minute < ShortLivedMinutes
                ? Of(steady, Process(ShortLivedPid, Stack(JitFrame(0x7f0000001010), shortLived.Frame("leaf_cold"))))
                : Of(steady);
            batch.Executables[workload.BuildId] = new PathExecutable(workload.Path, workload.Path);
            if (minute < ShortLivedMinutes) batch.Executables[shortLived.BuildId] = new PathExecutable(shortLived.Path, shortLived.Path);

            await processor.ConsumeAsync(batch, default);

            var locations = Samples(batch).First().Stack.Locations;
            var names = locations.Select(Name).ToArray();
            if (!names.SequenceEqual(expected))
            {
                unnamed++;
                output.WriteLine($"minute {minute}: {string.Join(" <- ", names.Select(n => n ?? "?"))}");
            }
            for (var i = 3; i < 6; i++)
            {
                Assert.Equal(workload.Path, locations[i].Mapping!.Filename);
                Assert.Equal(workload.BuildId, BuildId(locations[i].Mapping));
            }
            if (minute == ShortLivedMinutes + 61)
            {
                // Last used at minute 9: more than a lifetime ago, so both of its sources are gone, and nothing else.
                Assert.Equal(1, processor.Symbolizer.PerfMaps.Cache.Count);
                Assert.Equal(1, processor.Symbolizer.Elf.Cache.Count);
            }
            _sandbox.Clock.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.Equal(0, unnamed);
        Assert.Equal(1, processor.Symbolizer.PerfMaps.Cache.Expirations);
        Assert.Equal(1, processor.Symbolizer.Elf.Cache.Expirations);
        Assert.Equal(0, processor.Symbolizer.Kernel.Cache.Expirations);
        // Steady use never made anything be read twice: one kallsyms read, one parse per binary, one per perf map.
        Assert.Equal(1, processor.Symbolizer.Kernel.Reads);
        Assert.Equal(2, processor.Symbolizer.Elf.Parses);
        Assert.Equal(2, processor.Symbolizer.PerfMaps.Reads);
        await processor.ShutdownAsync(default);
    }

    public void Dispose() => _sandbox.Dispose();
}
