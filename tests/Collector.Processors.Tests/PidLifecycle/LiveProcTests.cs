using System.Text.RegularExpressions;
using Collector.Core.Model;
using Collector.ProcMaps;
using Collector.Processors.PidLifecycle;
using Collector.Processors.Tests.PidLifecycle.Support;
using static Collector.Processors.Tests.PidLifecycle.Support.Harness;

namespace Collector.Processors.Tests.PidLifecycle;

/// <summary>The processor on the real /proc, reading this test process (a .NET process: libc, libcoreclr, JIT code).</summary>
public sealed partial class LiveProcTests(ITestOutputHelper output)
{
    [GeneratedRegex(@"Build ID: ([0-9a-f]+)")]
    private static partial Regex BuildIdLine();

    [Fact]
    public void Frames_in_this_process_libc_get_its_mapping_and_the_build_id_readelf_prints()
    {
        ExternalTools.Require("readelf", "binutils");
        var libc = MapsParser.Parse(File.ReadAllText("/proc/self/maps"), out _)
            .First(entry => entry.Executable && entry.Kind == MapsEntryKind.File && Path.GetFileName(entry.Path).StartsWith("libc.so", StringComparison.Ordinal));
        var (exitCode, readelf, _) = ExternalTools.Run("readelf", ["-n", libc.Path], stdin: null);
        Assert.Equal(0, exitCode);
        var expectedBuildId = BuildIdLine().Match(readelf).Groups[1].Value;
        Assert.NotEmpty(expectedBuildId);
        Assert.True(StatParser.TryParseStartTicks(File.ReadAllText("/proc/self/stat"), out var startTicks));
        using var harness = new Harness("/proc");
        var address = libc.Start + 0x123;

        var batch = harness.Send([Sample(Environment.ProcessId, startTicks, 10, [address])]);

        var (_, executable, location) = Assert.Single(UserFrames(batch, Environment.ProcessId));
        var mapping = location.Mapping!;
        Assert.Equal((libc.Start, libc.End, libc.Offset, libc.Path), (mapping.MemoryStart, mapping.MemoryLimit, mapping.FileOffset, mapping.Filename));
        Assert.Equal(expectedBuildId, BuildId(mapping));
        Assert.Equal(address, location.Address);
        Assert.Equal(Environment.ProcessPath, executable);
        using var reopened = batch.Executables[expectedBuildId].Open();
        Assert.NotNull(reopened);
        Assert.Equal(new FileInfo(libc.Path).Length, RandomAccess.GetLength(reopened));
        output.WriteLine($"{libc.Path} [{libc.Start:x}-{libc.End:x}) build id {expectedBuildId}");
    }

    [Fact]
    public void A_real_child_keeps_its_mappings_after_it_was_killed_until_the_watermark_passes_its_exit()
    {
        using var child = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("/bin/sleep", "60"))!;
        try
        {
            var maps = $"/proc/{child.Id}/maps";
            var deadline = DateTime.UtcNow.AddSeconds(10);
            MapsEntry? libc = null;
            // Wait for sleep's own libc: before its exec the forked child maps the test host's.
            while (libc is null && DateTime.UtcNow < deadline)
            {
                var entries = MapsParser.Parse(File.ReadAllText(maps), out _);
                if (entries.Exists(entry => entry.Path == "/usr/bin/sleep"))
                {
                    // Cast first: FirstOrDefault of a struct list gives a zeroed entry, not null, while libc is not mapped yet.
                    libc = entries.Select(entry => (MapsEntry?)entry)
                        .FirstOrDefault(entry => entry!.Value.Executable && Path.GetFileName(entry.Value.Path).StartsWith("libc.so", StringComparison.Ordinal));
                }
                if (libc is null) Thread.Sleep(20);
            }
            Assert.NotNull(libc);
            Assert.True(StatParser.TryParseStartTicks(File.ReadAllText($"/proc/{child.Id}/stat"), out var startTicks));
            using var harness = new Harness("/proc");
            var address = libc.Value.Start + 0x40;
            harness.Send([Sample(child.Id, startTicks, 10, [address])]);

            child.Kill();
            child.WaitForExit();
            var late = harness.Send([Sample(child.Id, startTicks, 20, [address])], [Exit(child.Id, startTicks, 30)], watermark: 25);

            var (_, executable, location) = Assert.Single(UserFrames(late, child.Id));
            Assert.Equal("/usr/bin/sleep", executable);
            Assert.Equal(libc.Value.Path, location.Mapping?.Filename);
            Assert.Equal(2, harness.Statistics.MappedFrames);
            using (var handle = late.Executables[BuildId(location.Mapping)!].Open())
            {
                Assert.NotNull(handle);
            }
            harness.Send([], watermark: 31);
            Assert.Equal(0, harness.Processor.TrackedCount);
            Assert.Equal(0, harness.Processor.HeldFileCount);
        }
        finally
        {
            if (!child.HasExited) child.Kill();
        }
    }

    [Fact]
    public void This_process_is_recognised_as_dotnet_and_its_jit_memory_typed_so()
    {
        Assert.True(StatParser.TryParseStartTicks(File.ReadAllText("/proc/self/stat"), out var startTicks));
        var maps = MapsParser.Parse(File.ReadAllText("/proc/self/maps"), out _);
        Assert.Equal(RuntimeKind.Dotnet, ImageBuilder.RuntimeOf(Environment.ProcessPath, maps));
        var jit = maps.Where(entry => entry.Executable && entry.Kind is MapsEntryKind.Anonymous or MapsEntryKind.Memfd or MapsEntryKind.NamedAnonymous).ToList();
        if (jit.Count == 0)
        {
            output.WriteLine("no anonymous executable memory in this process: nothing more to check");
            return;
        }
        using var harness = new Harness("/proc");

        var batch = harness.Send([Sample(Environment.ProcessId, startTicks, 10, [jit[0].Start + 8])]);

        var (_, _, location) = Assert.Single(UserFrames(batch, Environment.ProcessId));
        Assert.Equal(SemanticConventions.FrameTypeDotnet, FrameType(location));
        Assert.Equal(jit[0].Path, location.Mapping!.Filename);
    }
}
