using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Collector.Bpf.Tests.Support;
using Collector.Core.Model;

namespace Collector.Bpf.Tests;

/// <summary>
/// The origins the kernel gives for user frames, checked against the binutils view of the same file: a C program
/// (position independent, so file offsets and run-time addresses differ) runs main → mid → leaf and exits before
/// the ring buffer is read; its samples must carry the build id `readelf -n` prints, and file offsets that the
/// PT_LOAD headers of `readelf -l` turn into addresses inside the functions `nm` lists.
/// </summary>
[Collection(BpfCollection.Name)]
public sealed partial class KernelProfilerBuildIdTests(ITestOutputHelper output) : IDisposable
{
    private const string Source = """
        #include <stdlib.h>
        #include <time.h>

        static volatile unsigned long sink;

        __attribute__((noinline)) void leaf(void)
        {
            unsigned long x = sink;
            for (int i = 0; i < 100000; i++)
                x = x * 6364136223846793005UL + 1442695040888963407UL;
            sink = x;
        }

        __attribute__((noinline)) void mid(void)
        {
            leaf();
            sink++;
        }

        int main(int argc, char **argv)
        {
            struct timespec start, now;
            double seconds = argc > 1 ? atof(argv[1]) : 1.0;
            clock_gettime(CLOCK_MONOTONIC, &start);
            do {
                mid();
                clock_gettime(CLOCK_MONOTONIC, &now);
            } while (now.tv_sec - start.tv_sec + (now.tv_nsec - start.tv_nsec) / 1e9 < seconds);
            return 0;
        }
        """;

    private readonly string _work = Directory.CreateTempSubdirectory("bpf-buildid-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public void Samples_of_an_exited_process_carry_its_build_id_and_offsets_inside_its_functions()
    {
        Prerequisites.Tools("clang-14", "readelf", "nm");
        Prerequisites.Bpf();
        var binary = Compile();
        var buildId = ReadBuildId(binary);
        var loads = ReadLoadSegments(binary);
        var functions = ReadFunctions(binary);
        output.WriteLine($"build id {buildId}; functions {string.Join(", ", functions.Select(f => $"{f.Key} {f.Value.Start:x}-{f.Value.End:x}"))}");

        var sink = new OriginSink();
        int pid;
        KernelCounters counters;
        using (var profiler = KernelProfiler.Start(new KernelProfilerSettings { SamplesPerSecond = 99 }, sink, new TestOutputLogger(output)))
        {
            using var child = Process.Start(binary, "1.5")!;
            pid = child.Id;
            child.WaitForExit();
            // The process is gone: whatever names its frames now comes from the samples themselves.
            profiler.Poll();
            counters = profiler.ReadCounters();
        }

        var mine = sink.Samples.Where(s => s.Pid == pid).ToList();
        string Where(ulong fileOffset) => FunctionAt(functions, ToVirtualAddress(loads, fileOffset)) ?? $"offset {fileOffset:x}";
        foreach (var sample in mine.Take(5))
        {
            output.WriteLine(string.Join(" <- ", sample.Origins.Select(o => o.IsKnown ? $"{o.BuildId.ToString()[..8]}:{Where(o.FileOffset)}" : "?")));
        }
        output.WriteLine($"{mine.Count} samples of pid {pid}; counters {counters}");
        Assert.True(mine.Count >= 20, $"only {mine.Count} samples of the workload");
        Assert.All(mine, s => Assert.Equal(s.UserFrames, s.Origins.Length));

        // The three innermost frames lie in this program: the sampled instruction in leaf (or, rarely, mid or
        // main between calls), then the return addresses into mid and main.
        var named = mine.Where(s => s.Origins.Length >= 3 && s.Origins[..3].All(o => o.IsKnown && buildId.Matches(o.BuildId))).ToList();
        Assert.True(named.Count >= mine.Count * 0.9, $"{named.Count} of {mine.Count} samples have origins with the build id {buildId}");
        var inLeaf = named.Where(s => Where(s.Origins[0].FileOffset) == "leaf"
            && Where(s.Origins[1].FileOffset) == "mid" && Where(s.Origins[2].FileOffset) == "main").ToList();
        Assert.True(inLeaf.Count >= named.Count * 0.8, $"{inLeaf.Count} of {named.Count} samples map to leaf <- mid <- main");
    }

    private string Compile()
    {
        var source = Path.Combine(_work, "origins.c");
        File.WriteAllText(source, Source);
        var binary = Path.Combine(_work, "origins");
        Command.Run("clang-14", "-O1", "-fno-omit-frame-pointer", "-fno-optimize-sibling-calls", "-fPIE", "-pie",
            "-Wl,--build-id", "-o", binary, source);
        return binary;
    }

    private static BuildIdNote ReadBuildId(string binary)
    {
        var match = BuildIdLine().Match(Command.Run("readelf", "-n", binary));
        Assert.True(match.Success, "readelf -n printed no build id");
        return new BuildIdNote(Convert.FromHexString(match.Groups[1].Value));
    }

    /// <summary>(file offset, virtual address, file size) of each PT_LOAD, from `readelf -lW`.</summary>
    private static List<(ulong Offset, ulong Address, ulong Size)> ReadLoadSegments(string binary) =>
        [.. LoadLine().Matches(Command.Run("readelf", "-lW", binary))
            .Select(m => (Hex(m.Groups[1].Value), Hex(m.Groups[2].Value), Hex(m.Groups[3].Value)))];

    /// <summary>Each text symbol's [start, end) from `nm -S`.</summary>
    private static Dictionary<string, (ulong Start, ulong End)> ReadFunctions(string binary) =>
        NmLine().Matches(Command.Run("nm", "-S", binary))
            .ToDictionary(m => m.Groups[3].Value, m => (Hex(m.Groups[1].Value), Hex(m.Groups[1].Value) + Hex(m.Groups[2].Value)));

    private static ulong ToVirtualAddress(List<(ulong Offset, ulong Address, ulong Size)> loads, ulong fileOffset)
    {
        foreach (var (offset, address, size) in loads)
        {
            if (fileOffset >= offset && fileOffset < offset + size)
            {
                return fileOffset - offset + address;
            }
        }
        return ulong.MaxValue;
    }

    private static string? FunctionAt(Dictionary<string, (ulong Start, ulong End)> functions, ulong address) =>
        functions.FirstOrDefault(f => address >= f.Value.Start && address < f.Value.End).Key;

    private static ulong Hex(string text) => ulong.Parse(text.Replace("0x", "", StringComparison.Ordinal), NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"Build ID: ([0-9a-f]+)")]
    private static partial Regex BuildIdLine();

    [GeneratedRegex(@"^\s*LOAD\s+(0x[0-9a-f]+)\s+(0x[0-9a-f]+)\s+0x[0-9a-f]+\s+(0x[0-9a-f]+)", RegexOptions.Multiline)]
    private static partial Regex LoadLine();

    [GeneratedRegex(@"^([0-9a-f]+) ([0-9a-f]+) [Tt] (\w+)$", RegexOptions.Multiline)]
    private static partial Regex NmLine();

    private sealed record BuildIdNote(byte[] Bytes)
    {
        public bool Matches(KernelBuildId id) => id.Matches(Bytes);

        public override string ToString() => Convert.ToHexStringLower(Bytes);
    }

    private sealed record OriginSample(int Pid, int UserFrames, UserFrameOrigin[] Origins);

    private sealed class OriginSink : IRecordSink
    {
        public List<OriginSample> Samples { get; } = [];

        public void OnSample(in SampleRecordView sample) =>
            Samples.Add(new(sample.Pid, sample.UserFrames.Length, sample.UserFrameOrigins.ToArray()));

        public void OnProcessEvent(in ProcessEventRecordView processEvent)
        {
        }
    }
}
