using Collector.Bpf.Tests.Support;

namespace Collector.Bpf.Tests;

/// <summary>
/// profiler.bpf.o is committed (so building the collector needs no clang); these tests keep it honest: a fresh
/// build from the sources with the pinned toolchain must give the same bytes, and the assembly must embed them.
/// </summary>
public sealed class CommittedObjectTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _out = Directory.CreateTempSubdirectory("bpf-object-").FullName;

    public void Dispose() => Directory.Delete(_out, recursive: true);

    [Fact]
    public void Committed_object_matches_a_fresh_build_of_its_sources()
    {
        Prerequisites.Tools("make", "clang-14", "llvm-strip-14");
        RequireHeaders();
        Command.Run("make", "-C", Repository.Bpf, $"OUT={_out}", "--always-make", "--no-print-directory");
        var fresh = File.ReadAllBytes(Path.Combine(_out, "profiler.bpf.o"));
        var committed = File.ReadAllBytes(Path.Combine(Repository.Bpf, "profiler.bpf.o"));
        output.WriteLine($"fresh build {fresh.Length} bytes, committed {committed.Length} bytes");
        Assert.True(fresh.AsSpan().SequenceEqual(committed),
            "bpf/profiler.bpf.o is stale: its sources changed since it was built. Run `make -C bpf` and commit the object.");
    }

    [Fact]
    public void Assembly_embeds_the_committed_object()
    {
        var committed = File.ReadAllBytes(Path.Combine(Repository.Bpf, "profiler.bpf.o"));
        Assert.True(ProfilerObject.Load().AsSpan().SequenceEqual(committed), "the embedded object differs from bpf/profiler.bpf.o: rebuild the project");
    }

    private static void RequireHeaders()
    {
        // libbpf-dev provides the helper headers, linux-libc-dev the UAPI ones.
        string[] headers = ["/usr/include/bpf/bpf_helpers.h", "/usr/include/linux/bpf.h", "/usr/include/x86_64-linux-gnu/asm/types.h"];
        var absent = headers.Where(h => !File.Exists(h)).ToList();
        ExternalTools.Require(absent.Count == 0, $"missing headers {string.Join(", ", absent)} (install libbpf-dev and linux-libc-dev)");
    }
}
