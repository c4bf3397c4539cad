using System.IO.Compression;
using Collector.Core.Model;
using Google.Protobuf;
using static Collector.Exporters.Pprof.PprofWire;

namespace Collector.Exporters.Pprof;

/// <summary>
/// Writes a <see cref="PprofBuilder"/>'s tables as a pprof <c>Profile</c> message. Sizes are computed first and the
/// message written into one exactly sized array, so nested messages need no temporary buffers.
/// </summary>
internal static class PprofEncoder
{
    /// <summary>The profile gzipped, as pprof files and <c>/debug/pprof/profile</c> responses are.</summary>
    public static byte[] EncodeGzip(PprofBuilder profile)
    {
        var raw = Encode(profile);
        using var compressed = new MemoryStream(raw.Length / 4 + 64);
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(raw);
        }
        return compressed.ToArray();
    }

    public static byte[] Encode(PprofBuilder profile)
    {
        // Every string goes into the table before any size is computed: the table is written last and must be complete.
        var types = profile.Types;
        var strings = profile.Strings;
        var sampleType = (strings.Intern(types.SampleType.Type), strings.Intern(types.SampleType.Unit));
        (long, long)? periodType = types.PeriodType is { } period ? (strings.Intern(period.Type), strings.Intern(period.Unit)) : null;

        var size = ProfileSize(profile, sampleType, periodType);
        var buffer = new byte[size];
        var output = new CodedOutputStream(buffer);
        WriteValueType(output, ProfileSampleType, sampleType);
        if (types.HasTimeValue) WriteValueType(output, ProfileSampleType, periodType!.Value);
        foreach (var sample in profile.Samples) WriteSample(output, profile, sample);
        for (var i = 0; i < profile.Mappings.Count; i++) WriteMapping(output, (ulong)i + 1, profile.Mappings[i]);
        for (var i = 0; i < profile.Locations.Count; i++) WriteLocation(output, profile, (ulong)i + 1, profile.Locations[i]);
        for (var i = 0; i < profile.Functions.Count; i++) WriteFunction(output, strings, (ulong)i + 1, profile.Functions[i]);
        foreach (var text in strings.Strings)
        {
            output.WriteTag(Tag(ProfileStringTable, WireFormat.WireType.LengthDelimited));
            output.WriteString(text);
        }
        WriteVarintField(output, ProfileTimeNanos, profile.TimeNanos);
        WriteVarintField(output, ProfileDurationNanos, profile.DurationNanos);
        if (periodType is { } periodIndices) WriteValueType(output, ProfilePeriodType, periodIndices);
        WriteVarintField(output, ProfilePeriod, types.Period);
        output.Flush();
        output.CheckNoSpaceLeft();
        return buffer;
    }

    private static int ProfileSize(PprofBuilder profile, (long, long) sampleType, (long, long)? periodType)
    {
        var size = MessageFieldSize(ProfileSampleType, ValueTypeSize(sampleType));
        if (profile.Types.HasTimeValue) size += MessageFieldSize(ProfileSampleType, ValueTypeSize(periodType!.Value));
        foreach (var sample in profile.Samples) size += MessageFieldSize(ProfileSample, SampleSize(profile, sample));
        for (var i = 0; i < profile.Mappings.Count; i++) size += MessageFieldSize(ProfileMapping, MappingSize((ulong)i + 1, profile.Mappings[i]));
        for (var i = 0; i < profile.Locations.Count; i++) size += MessageFieldSize(ProfileLocation, LocationSize(profile, (ulong)i + 1, profile.Locations[i]));
        for (var i = 0; i < profile.Functions.Count; i++) size += MessageFieldSize(ProfileFunction, FunctionSize(profile.Strings, (ulong)i + 1, profile.Functions[i]));
        foreach (var text in profile.Strings.Strings)
        {
            size += CodedOutputStream.ComputeTagSize(ProfileStringTable) + CodedOutputStream.ComputeStringSize(text);
        }
        size += VarintFieldSize(ProfileTimeNanos, profile.TimeNanos);
        size += VarintFieldSize(ProfileDurationNanos, profile.DurationNanos);
        if (periodType is { } period) size += MessageFieldSize(ProfilePeriodType, ValueTypeSize(period));
        size += VarintFieldSize(ProfilePeriod, profile.Types.Period);
        return size;
    }

    private static int ValueTypeSize((long Type, long Unit) value) =>
        VarintFieldSize(ValueTypeType, value.Type) + VarintFieldSize(ValueTypeUnit, value.Unit);

    private static void WriteValueType(CodedOutputStream output, int field, (long Type, long Unit) value)
    {
        WriteMessageHeader(output, field, ValueTypeSize(value));
        WriteVarintField(output, ValueTypeType, value.Type);
        WriteVarintField(output, ValueTypeUnit, value.Unit);
    }

    // Sample: packed location ids (leaf first, as in our stacks), packed values, labels.

    private static int SampleSize(PprofBuilder profile, PprofSampleEntry sample)
    {
        var size = 0;
        var ids = LocationIdsSize(sample.LocationIds);
        if (ids > 0) size += MessageFieldSize(SampleLocationId, ids);
        size += MessageFieldSize(SampleValue, ValuesSize(profile.Types, sample.Weight));
        foreach (var label in profile.LabelSets[sample.LabelSet]) size += MessageFieldSize(SampleLabel, LabelSize(label));
        return size;
    }

    private static void WriteSample(CodedOutputStream output, PprofBuilder profile, PprofSampleEntry sample)
    {
        WriteMessageHeader(output, ProfileSample, SampleSize(profile, sample));
        var ids = LocationIdsSize(sample.LocationIds);
        if (ids > 0)
        {
            WriteMessageHeader(output, SampleLocationId, ids);
            foreach (var id in sample.LocationIds) output.WriteUInt64(id);
        }
        WriteMessageHeader(output, SampleValue, ValuesSize(profile.Types, sample.Weight));
        output.WriteInt64(sample.Weight);
        if (profile.Types.HasTimeValue) output.WriteInt64(sample.Weight * profile.Types.Period);
        foreach (var label in profile.LabelSets[sample.LabelSet])
        {
            WriteMessageHeader(output, SampleLabel, LabelSize(label));
            WriteVarintField(output, LabelKey, label.Key);
            WriteVarintField(output, LabelStr, label.Str);
            WriteVarintField(output, LabelNum, label.Num);
        }
    }

    private static int LocationIdsSize(ulong[] ids)
    {
        var size = 0;
        foreach (var id in ids) size += CodedOutputStream.ComputeUInt64Size(id);
        return size;
    }

    private static int ValuesSize(PprofSampleTypes types, long weight) =>
        CodedOutputStream.ComputeInt64Size(weight) + (types.HasTimeValue ? CodedOutputStream.ComputeInt64Size(weight * types.Period) : 0);

    private static int LabelSize(PprofLabel label) =>
        VarintFieldSize(LabelKey, label.Key) + VarintFieldSize(LabelStr, label.Str) + VarintFieldSize(LabelNum, label.Num);

    // Mapping

    private static int MappingSize(ulong id, PprofMappingEntry entry)
    {
        var mapping = entry.Mapping;
        return VarintFieldSize(MappingId, id) + VarintFieldSize(MappingMemoryStart, mapping.MemoryStart) +
            VarintFieldSize(MappingMemoryLimit, mapping.MemoryLimit) + VarintFieldSize(MappingFileOffset, mapping.FileOffset) +
            VarintFieldSize(MappingFilename, entry.Filename) + VarintFieldSize(MappingBuildId, entry.BuildId) +
            BoolSize(MappingHasFunctions, entry.HasFunctions) + BoolSize(MappingHasFilenames, entry.HasFilenames) +
            BoolSize(MappingHasLineNumbers, entry.HasLineNumbers) + BoolSize(MappingHasInlineFrames, entry.HasInlineFrames);
    }

    private static void WriteMapping(CodedOutputStream output, ulong id, PprofMappingEntry entry)
    {
        var mapping = entry.Mapping;
        WriteMessageHeader(output, ProfileMapping, MappingSize(id, entry));
        WriteVarintField(output, MappingId, id);
        WriteVarintField(output, MappingMemoryStart, mapping.MemoryStart);
        WriteVarintField(output, MappingMemoryLimit, mapping.MemoryLimit);
        WriteVarintField(output, MappingFileOffset, mapping.FileOffset);
        WriteVarintField(output, MappingFilename, entry.Filename);
        WriteVarintField(output, MappingBuildId, entry.BuildId);
        WriteVarintField(output, MappingHasFunctions, entry.HasFunctions ? 1UL : 0);
        WriteVarintField(output, MappingHasFilenames, entry.HasFilenames ? 1UL : 0);
        WriteVarintField(output, MappingHasLineNumbers, entry.HasLineNumbers ? 1UL : 0);
        WriteVarintField(output, MappingHasInlineFrames, entry.HasInlineFrames ? 1UL : 0);
    }

    private static int BoolSize(int field, bool value) => VarintFieldSize(field, value ? 1UL : 0);

    // Location: lines innermost first, the last one the caller the others were inlined into (both formats agree).

    private static int LocationSize(PprofBuilder profile, ulong id, Location location)
    {
        var size = VarintFieldSize(LocationId, id) + VarintFieldSize(LocationAddress, location.Address);
        if (location.Mapping is { } mapping) size += VarintFieldSize(LocationMappingId, profile.MappingId(mapping));
        foreach (var line in location.Lines)
        {
            if (line.Function is { } function) size += MessageFieldSize(LocationLine, LineSize(profile.FunctionId(function), line));
        }
        return size;
    }

    private static void WriteLocation(CodedOutputStream output, PprofBuilder profile, ulong id, Location location)
    {
        WriteMessageHeader(output, ProfileLocation, LocationSize(profile, id, location));
        WriteVarintField(output, LocationId, id);
        if (location.Mapping is { } mapping) WriteVarintField(output, LocationMappingId, profile.MappingId(mapping));
        WriteVarintField(output, LocationAddress, location.Address);
        foreach (var line in location.Lines)
        {
            // A line without a function has nothing pprof can show; the location keeps its address.
            if (line.Function is not { } function) continue;
            var functionId = profile.FunctionId(function);
            WriteMessageHeader(output, LocationLine, LineSize(functionId, line));
            WriteVarintField(output, LineFunctionId, functionId);
            WriteVarintField(output, LineLine, line.LineNumber);
            WriteVarintField(output, LineColumn, line.Column);
        }
    }

    private static int LineSize(ulong functionId, Line line) =>
        VarintFieldSize(LineFunctionId, functionId) + VarintFieldSize(LineLine, line.LineNumber) + VarintFieldSize(LineColumn, line.Column);

    // Function

    private static int FunctionSize(PprofStringTable strings, ulong id, Function function) =>
        VarintFieldSize(FunctionId, id) + VarintFieldSize(FunctionName, strings.Intern(function.ToString())) +
        VarintFieldSize(FunctionSystemName, strings.Intern(function.SystemName)) +
        VarintFieldSize(FunctionFilename, strings.Intern(function.Filename)) + VarintFieldSize(FunctionStartLine, function.StartLine);

    private static void WriteFunction(CodedOutputStream output, PprofStringTable strings, ulong id, Function function)
    {
        WriteMessageHeader(output, ProfileFunction, FunctionSize(strings, id, function));
        WriteVarintField(output, FunctionId, id);
        WriteVarintField(output, FunctionName, strings.Intern(function.ToString()));
        WriteVarintField(output, FunctionSystemName, strings.Intern(function.SystemName));
        WriteVarintField(output, FunctionFilename, strings.Intern(function.Filename));
        WriteVarintField(output, FunctionStartLine, function.StartLine);
    }
}
