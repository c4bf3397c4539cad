using System.Collections.Immutable;
using Collector.Core.Model;
using Collector.ProcMaps;

namespace Collector.Processors.PidLifecycle;

/// <summary>Turns a process's executable mappings into a <see cref="ProcessImage"/>, taking a file reference per file region.</summary>
internal static class ImageBuilder
{
    private static readonly KeyValueAndUnit Native = KeyValueAndUnit.Of(SemanticConventions.FrameType, SemanticConventions.FrameTypeNative);
    private static readonly KeyValueAndUnit Dotnet = KeyValueAndUnit.Of(SemanticConventions.FrameType, SemanticConventions.FrameTypeDotnet);
    private static readonly KeyValueAndUnit Jvm = KeyValueAndUnit.Of(SemanticConventions.FrameType, SemanticConventions.FrameTypeJvm);
    private static readonly KeyValueAndUnit V8js = KeyValueAndUnit.Of(SemanticConventions.FrameType, SemanticConventions.FrameTypeV8js);

    public static ProcessImage Build(int pid, string? executablePath, IReadOnlyList<MapsEntry> maps, FileTable files)
    {
        var jitFrameType = RuntimeOf(executablePath, maps) switch
        {
            RuntimeKind.Dotnet => Dotnet,
            RuntimeKind.Jvm => Jvm,
            RuntimeKind.Node => V8js,
            _ => Native,
        };
        var regions = ImmutableArray.CreateBuilder<ImageRegion>(maps.Count);
        foreach (var entry in maps)
        {
            if (!entry.Executable) continue;
            switch (entry.Kind)
            {
                case MapsEntryKind.File:
                    var file = files.Acquire(pid, entry);
                    var mapping = new Mapping(entry.Start, entry.End, entry.Offset, entry.Path, file?.MappingAttributes ?? default);
                    regions.Add(new ImageRegion(entry.Start, entry.End, file, mapping, Native));
                    break;
                case MapsEntryKind.Anonymous or MapsEntryKind.NamedAnonymous or MapsEntryKind.Memfd:
                    // JIT code: named later from the runtime's perf map, so the frame type tells which runtime.
                    regions.Add(new ImageRegion(entry.Start, entry.End, null, new Mapping(entry.Start, entry.End, 0, entry.Path), jitFrameType));
                    break;
                default:
                    // [vdso], [vsyscall]: kernel-provided code, native.
                    regions.Add(new ImageRegion(entry.Start, entry.End, null, new Mapping(entry.Start, entry.End, 0, entry.Path), Native));
                    break;
            }
        }
        regions.Sort(static (a, b) => a.Start.CompareTo(b.Start));
        return new ProcessImage(executablePath, regions.DrainToImmutable(), mapsKnown: true);
    }

    /// <summary>A runtime recognised by the library it maps (.NET, Java, Node) or, for Node, the executable's name.</summary>
    public static RuntimeKind RuntimeOf(string? executablePath, IReadOnlyList<MapsEntry> maps)
    {
        foreach (var entry in maps)
        {
            var name = Path.GetFileName(entry.Path.AsSpan());
            if (name.SequenceEqual("libcoreclr.so")) return RuntimeKind.Dotnet;
            if (name.SequenceEqual("libjvm.so")) return RuntimeKind.Jvm;
            if (name.SequenceEqual("libnode.so") || name.StartsWith("libnode.so.", StringComparison.Ordinal)) return RuntimeKind.Node;
        }
        return executablePath is not null && Path.GetFileName(executablePath.AsSpan()).SequenceEqual("node") ? RuntimeKind.Node : RuntimeKind.None;
    }
}
