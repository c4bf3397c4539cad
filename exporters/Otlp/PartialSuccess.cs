using System.Globalization;
using System.Text.Json;
using Collector.Exporters.Sending;
using Collector.Otlp.Proto.Collector;
using Google.Protobuf;

namespace Collector.Exporters.Otlp;

/// <summary>
/// Reads <c>ExportProfilesServiceResponse.partial_success</c>. The request was accepted either way, so a
/// response that cannot be read is taken as complete success rather than as a reason to send again.
/// </summary>
internal static class PartialSuccess
{
    public static ExportResponse FromProtobuf(ReadOnlySpan<byte> bytes)
    {
        try
        {
            var response = ExportProfilesServiceResponse.Parser.ParseFrom(bytes);
            return response.PartialSuccess is { } partial ? new ExportResponse(partial.RejectedProfiles, partial.ErrorMessage) : ExportResponse.Complete;
        }
        catch (InvalidProtocolBufferException)
        {
            return ExportResponse.Complete;
        }
    }

    /// <summary>OTLP/JSON: <c>{"partialSuccess":{"rejectedProfiles":"3","errorMessage":"..."}}</c>; the count may be a string or a number.</summary>
    public static ExportResponse FromJson(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Trim(" \t\r\n"u8).IsEmpty) return ExportResponse.Complete;
        try
        {
            var reader = new Utf8JsonReader(utf8);
            using var document = JsonDocument.ParseValue(ref reader);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("partialSuccess", out var partial) || partial.ValueKind != JsonValueKind.Object)
            {
                return ExportResponse.Complete;
            }
            long rejected = 0;
            if (partial.TryGetProperty("rejectedProfiles", out var count))
            {
                if (count.ValueKind == JsonValueKind.Number) count.TryGetInt64(out rejected);
                else if (count.ValueKind == JsonValueKind.String) long.TryParse(count.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out rejected);
            }
            var message = partial.TryGetProperty("errorMessage", out var text) && text.ValueKind == JsonValueKind.String ? text.GetString()! : "";
            return new ExportResponse(rejected, message);
        }
        catch (JsonException)
        {
            return ExportResponse.Complete;
        }
    }
}
