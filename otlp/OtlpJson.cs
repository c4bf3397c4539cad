using Collector.Otlp.Json;
using Collector.Otlp.Proto.Collector;

namespace Collector.Otlp;

/// <summary>
/// OTLP/JSON encoding of profiles exports, as the OTLP specification defines it (which differs from the
/// canonical proto3 JSON mapping: hex trace/span/profile ids, 64-bit integers as strings, integer enums).
/// </summary>
public static class OtlpJson
{
    /// <summary>One JSON object, no trailing newline, UTF-8.</summary>
    public static byte[] Serialize(ExportProfilesServiceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return OtlpJsonWriter.Serialize(request);
    }

    /// <summary>
    /// One JSON object followed by <c>\n</c>: a JSON-lines record, built in one array rather than copied into a
    /// second one to append the line feed.
    /// </summary>
    public static byte[] SerializeLine(ExportProfilesServiceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return OtlpJsonWriter.Serialize(request, lineFeed: true);
    }

    /// <summary>
    /// Parses one JSON object. Throws <see cref="OtlpFormatException"/> on malformed input, naming the JSON path
    /// (e.g. <c>resourceProfiles[0].resource.attributes[2].value.intValue: expected an integer</c>).
    /// </summary>
    public static ExportProfilesServiceRequest Parse(ReadOnlySpan<byte> utf8Json) => OtlpJsonReader.Parse(utf8Json);
}
