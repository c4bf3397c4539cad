using Collector.Core.Model;

namespace Collector.Processors.Symbolization;

/// <summary>How a frame is named, read from its frame type attribute and its mapping.</summary>
internal static class FrameKinds
{
    public static string? FrameType(Location location)
    {
        foreach (var attribute in location.Attributes)
        {
            if (attribute.Key == SemanticConventions.FrameType && attribute.Value is { Kind: AnyValueKind.String } value) return value.StringValue;
        }
        return null;
    }

    public static bool IsJitType(string? frameType) =>
        frameType is SemanticConventions.FrameTypeDotnet or SemanticConventions.FrameTypeV8js or SemanticConventions.FrameTypeJvm;

    /// <summary>
    /// Code in no file: anonymous memory, .NET's <c>memfd:doublemapper</c>, <c>[anon:...]</c> regions, or no
    /// mapping at all. Only a runtime's perf map can name it. A mapping with a build id is a file even without
    /// a name (a frame known only from the kernel's build-id stack).
    /// </summary>
    public static bool IsAnonymous(Mapping? mapping) =>
        mapping is null ||
        (ExecutableFile.KeyOf(mapping) is null && mapping.Filename.Length == 0) ||
        // The kernel prints memfd mappings as "/memfd:name (deleted)"; pid_lifecycle keeps the leading slash.
        mapping.Filename.StartsWith("memfd:", StringComparison.Ordinal) ||
        mapping.Filename.StartsWith("/memfd:", StringComparison.Ordinal) ||
        mapping.Filename.StartsWith("[anon", StringComparison.Ordinal) ||
        mapping.Filename.StartsWith("//anon", StringComparison.Ordinal);

    /// <summary>True when the frame is named from its process's perf map or memory (cpython), so the same location names differently per process.</summary>
    public static bool NeedsProcess(Location location) =>
        location.Lines.IsEmpty && FrameType(location) is var type && type != SemanticConventions.FrameTypeKernel &&
        (type == SemanticConventions.FrameTypeCpython || IsJitType(type) || IsAnonymous(location.Mapping));

    /// <summary>The attributes with the frame type replaced (or added): precompiled .NET code sits in a file mapping, which pid_lifecycle types native.</summary>
    public static System.Collections.Immutable.ImmutableArray<KeyValueAndUnit> WithFrameType(System.Collections.Immutable.ImmutableArray<KeyValueAndUnit> attributes, string frameType) =>
        [.. attributes.Where(a => a.Key != SemanticConventions.FrameType), KeyValueAndUnit.Of(SemanticConventions.FrameType, frameType)];
}
