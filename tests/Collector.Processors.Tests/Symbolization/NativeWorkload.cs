using System.Collections.Immutable;
using System.Globalization;
using Collector.Core.Model;
using Microsoft.Win32.SafeHandles;

namespace Collector.Processors.Tests.Symbolization;

/// <summary>
/// A small C program compiled for the test (gcc, with a GNU build id), with what independent tools say about
/// it: function addresses from <c>nm</c>, the build id from <c>readelf -n</c>, the executable PT_LOAD from
/// <c>readelf -l</c>. <see cref="Frame"/> builds the location pid_lifecycle would emit for a function.
/// </summary>
public sealed class NativeWorkload
{
    public const ulong LoadBase = 0x5555_5555_0000;

    public const string Source = """
        #include <stdio.h>
        __attribute__((noinline)) int leaf_hot(int x) { int s = 0; for (int i = 0; i < x; i++) s += i * VARIANT; return s; }
        __attribute__((noinline)) int leaf_cold(int x) { return x * 3 + VARIANT; }
        __attribute__((noinline)) int mid(int x) { return leaf_hot(x) + leaf_cold(x); }
        int main(int argc, char **argv) { (void)argv; printf("%d\n", mid(argc)); return 0; }
        """;

    private NativeWorkload(string path, string buildId, Dictionary<string, ulong> functions, ulong segmentVirtualAddress, ulong segmentOffset)
    {
        Path = path;
        BuildId = buildId;
        Functions = functions;
        SegmentVirtualAddress = segmentVirtualAddress;
        SegmentOffset = segmentOffset;
        Mapping = new Mapping(LoadBase + (segmentVirtualAddress & ~0xfffUL), LoadBase + 0x100000, segmentOffset & ~0xfffUL, path,
            [KeyValueAndUnit.Of(SemanticConventions.BuildIdGnu, buildId)]);
    }

    public string Path { get; }

    public string BuildId { get; }

    /// <summary>Function name → virtual address, as nm prints them.</summary>
    public Dictionary<string, ulong> Functions { get; }

    public ulong SegmentVirtualAddress { get; }

    public ulong SegmentOffset { get; }

    public Mapping Mapping { get; }

    /// <summary>Compiles the workload into <paramref name="directory"/>; skips the test when gcc or binutils are missing.</summary>
    public static NativeWorkload Build(string directory, int variant = 1, string name = "workload")
    {
        ExternalTools.Require("gcc", "gcc");
        ExternalTools.Require("nm", "binutils");
        ExternalTools.Require("readelf", "binutils");
        var source = System.IO.Path.Combine(directory, name + ".c");
        var binary = System.IO.Path.Combine(directory, name);
        File.WriteAllText(source, Source);
        Check(ExternalTools.Run("gcc", ["-O1", "-fno-inline", $"-DVARIANT={variant}", "-Wl,--build-id", "-o", binary, source], null));

        var functions = new Dictionary<string, ulong>(StringComparer.Ordinal);
        foreach (var line in Check(ExternalTools.Run("nm", ["--defined-only", binary], null)).Split('\n'))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 3 && fields[1] is "T" or "t") functions[fields[2]] = ulong.Parse(fields[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        }
        var notes = Check(ExternalTools.Run("readelf", ["-n", binary], null));
        var buildId = notes.Split('\n').Select(l => l.Trim()).First(l => l.StartsWith("Build ID:", StringComparison.Ordinal))["Build ID:".Length..].Trim();
        // "LOAD 0x001000 0x0000000000001000 0x... 0x... 0x... R E 0x1000": the executable segment.
        var load = Check(ExternalTools.Run("readelf", ["-lW", binary], null)).Split('\n').Select(l => l.Trim())
            .First(l => l.StartsWith("LOAD", StringComparison.Ordinal) && l.Contains(" R E ", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return new NativeWorkload(binary, buildId, functions, Hex(load[2]), Hex(load[1]));
    }

    /// <summary>The address the function at <paramref name="name"/> (plus <paramref name="offset"/>) has in a process that mapped the workload at <see cref="LoadBase"/>.</summary>
    public ulong Address(string name, ulong offset = 1) => LoadBase + Functions[name] + offset;

    /// <summary>The unsymbolized location pid_lifecycle emits for that address.</summary>
    public Location Frame(string name, Mapping? mapping = null) =>
        new(mapping ?? Mapping, Address(name), attributes: [KeyValueAndUnit.Of(SemanticConventions.FrameType, SemanticConventions.FrameTypeNative)]);

    private static ulong Hex(string text) => ulong.Parse(text.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    private static string Check((int ExitCode, string Output, string Error) run)
    {
        Assert.True(run.ExitCode == 0, run.Error);
        return run.Output;
    }
}

/// <summary>A file kept readable the way pid_lifecycle keeps executables: by opening a path it chose.</summary>
public sealed class PathExecutable(string path, string openedFrom) : ExecutableFile
{
    public int Opens { get; private set; }

    public override string Path => path;

    public override SafeFileHandle? Open()
    {
        Opens++;
        return File.Exists(openedFrom) ? File.OpenHandle(openedFrom) : null;
    }
}
