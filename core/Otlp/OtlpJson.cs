using Collector.Core.Otlp.Proto.Collector;

namespace Collector.Core.Otlp;

/// <summary>OTLP/JSON encoding of profiles exports, as the OTLP specification defines it.</summary>
public static class OtlpJson
{
    /// <summary>One JSON object, no trailing newline, UTF-8.</summary>
    public static byte[] Serialize(ExportProfilesServiceRequest request) => throw new NotImplementedException("codec work in progress");

    /// <summary>Parses one JSON object. Throws <see cref="OtlpFormatException"/> on malformed input.</summary>
    public static ExportProfilesServiceRequest Parse(ReadOnlySpan<byte> utf8Json) => throw new NotImplementedException("codec work in progress");
}
