using System.Collections.Immutable;
using Collector.Core.Model;

namespace Collector.Processors.PidLifecycle;

/// <summary>The code a process runs; decides the frame type of its anonymous executable memory (JIT code).</summary>
internal enum RuntimeKind
{
    None,
    Dotnet,
    Jvm,
    Node,
}

/// <summary>One executable mapping, with the model mapping every frame in it shares (built once).</summary>
internal sealed class ImageRegion(ulong start, ulong end, HeldExecutable? file, Mapping mapping, KeyValueAndUnit frameType)
{
    public ulong Start { get; } = start;

    public ulong End { get; } = end;

    /// <summary>The held file, when the mapping is a file that could be opened.</summary>
    public HeldExecutable? File { get; } = file;

    public Mapping Mapping { get; } = mapping;

    /// <summary>The <c>profile.frame.type</c> attribute of frames in this region.</summary>
    public KeyValueAndUnit FrameType { get; } = frameType;
}

/// <summary>
/// The executable mappings of one process image (between two execs, or until a rescan replaces them), with
/// the executable's path. Immutable once built; a forked child shares its parent's image until it execs.
/// <see cref="Holders"/> counts the processes using it: when it drops to zero its files are released.
/// </summary>
internal sealed class ProcessImage
{
    private static readonly ImmutableArray<ImageRegion> NoRegions = [];

    public ProcessImage(string? executablePath, ImmutableArray<ImageRegion> regions, bool mapsKnown, HeldExecutable? executableFile = null)
    {
        ExecutablePath = executablePath;
        Regions = regions.IsDefault ? NoRegions : regions;
        MapsKnown = mapsKnown;
        ExecutableFile = executableFile;
    }

    public string? ExecutablePath { get; }

    /// <summary>Sorted by start address, not overlapping (as /proc lists them).</summary>
    public ImmutableArray<ImageRegion> Regions { get; }

    /// <summary>False when only the exec's file name is known (the process was gone before its maps were read).</summary>
    public bool MapsKnown { get; }

    /// <summary>The exec's file, held (and indexed by build id) when the maps could not be read.</summary>
    public HeldExecutable? ExecutableFile { get; }

    internal int Holders { get; set; }

    public ImageRegion? Find(ulong address)
    {
        var regions = Regions.AsSpan();
        int low = 0, high = regions.Length - 1;
        while (low <= high)
        {
            var middle = low + ((high - low) / 2);
            var region = regions[middle];
            if (address < region.Start) high = middle - 1;
            else if (address >= region.End) low = middle + 1;
            else return region;
        }
        return null;
    }

    /// <summary>Every held file of the image (regions and the exec's file), each once per reference taken.</summary>
    public IEnumerable<HeldExecutable> Files()
    {
        foreach (var region in Regions)
        {
            if (region.File is { } file) yield return file;
        }
        if (ExecutableFile is { } executable) yield return executable;
    }
}
