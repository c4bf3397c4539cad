using Google.Protobuf;

namespace Collector.Exporters.Pprof;

/// <summary>
/// Field numbers of pprof's <c>profile.proto</c> (package <c>perftools.profiles</c>) and the few wire helpers the
/// encoder needs. Written from the published schema rather than generated: the format is small and stable, and
/// this keeps the encoder free of generated message objects (one allocation per sample would defeat the point).
/// </summary>
internal static class PprofWire
{
    // Profile
    public const int ProfileSampleType = 1;
    public const int ProfileSample = 2;
    public const int ProfileMapping = 3;
    public const int ProfileLocation = 4;
    public const int ProfileFunction = 5;
    public const int ProfileStringTable = 6;
    public const int ProfileTimeNanos = 9;
    public const int ProfileDurationNanos = 10;
    public const int ProfilePeriodType = 11;
    public const int ProfilePeriod = 12;
    public const int ProfileComment = 13;

    // ValueType
    public const int ValueTypeType = 1;
    public const int ValueTypeUnit = 2;

    // Sample
    public const int SampleLocationId = 1;
    public const int SampleValue = 2;
    public const int SampleLabel = 3;

    // Label
    public const int LabelKey = 1;
    public const int LabelStr = 2;
    public const int LabelNum = 3;

    // Mapping
    public const int MappingId = 1;
    public const int MappingMemoryStart = 2;
    public const int MappingMemoryLimit = 3;
    public const int MappingFileOffset = 4;
    public const int MappingFilename = 5;
    public const int MappingBuildId = 6;
    public const int MappingHasFunctions = 7;
    public const int MappingHasFilenames = 8;
    public const int MappingHasLineNumbers = 9;
    public const int MappingHasInlineFrames = 10;

    // Location
    public const int LocationId = 1;
    public const int LocationMappingId = 2;
    public const int LocationAddress = 3;
    public const int LocationLine = 4;

    // Line
    public const int LineFunctionId = 1;
    public const int LineLine = 2;
    public const int LineColumn = 3;

    // Function
    public const int FunctionId = 1;
    public const int FunctionName = 2;
    public const int FunctionSystemName = 3;
    public const int FunctionFilename = 4;
    public const int FunctionStartLine = 5;

    public static uint Tag(int field, WireFormat.WireType type) => WireFormat.MakeTag(field, type);

    /// <summary>Bytes of a varint field (tag included), or 0 when the value is 0 (proto3 leaves defaults out).</summary>
    public static int VarintFieldSize(int field, ulong value) =>
        value == 0 ? 0 : CodedOutputStream.ComputeTagSize(field) + CodedOutputStream.ComputeUInt64Size(value);

    public static int VarintFieldSize(int field, long value) => VarintFieldSize(field, unchecked((ulong)value));

    public static void WriteVarintField(CodedOutputStream output, int field, ulong value)
    {
        if (value == 0) return;
        output.WriteTag(Tag(field, WireFormat.WireType.Varint));
        output.WriteUInt64(value);
    }

    public static void WriteVarintField(CodedOutputStream output, int field, long value) => WriteVarintField(output, field, unchecked((ulong)value));

    /// <summary>Bytes of an embedded message field of <paramref name="length"/> bytes, tag and length prefix included.</summary>
    public static int MessageFieldSize(int field, int length) =>
        CodedOutputStream.ComputeTagSize(field) + CodedOutputStream.ComputeLengthSize(length) + length;

    public static void WriteMessageHeader(CodedOutputStream output, int field, int length)
    {
        output.WriteTag(Tag(field, WireFormat.WireType.LengthDelimited));
        output.WriteLength(length);
    }
}
