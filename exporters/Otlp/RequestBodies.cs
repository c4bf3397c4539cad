using Collector.Exporters.Sending;
using Collector.Otlp;
using Collector.Otlp.Proto.Collector;
using Google.Protobuf;

namespace Collector.Exporters.Otlp;

/// <summary>
/// The body to send in a given encoding. Requests are encoded as the exporter sends them, so this normally
/// returns the body as is; a persistent queue written while <c>encoding</c> was set differently is re-encoded.
/// </summary>
internal static class RequestBodies
{
    public static byte[] In(ExportRequest request, RequestEncoding encoding)
    {
        if (request.Encoding == encoding) return request.Body;
        var parsed = request.Encoding == RequestEncoding.Json
            ? OtlpJson.Parse(request.Body)
            : ExportProfilesServiceRequest.Parser.ParseFrom(request.Body);
        return encoding == RequestEncoding.Json ? OtlpJson.Serialize(parsed) : parsed.ToByteArray();
    }
}
