using System.Net;
using System.Net.Http.Headers;
using Collector.Protocol.Grpc;

namespace Collector.Receivers.Tests.Otlp;

/// <summary>What came back from one gRPC call: the HTTP status, the gRPC status (from trailers, or from the headers of a trailers-only response) and the body.</summary>
internal sealed record GrpcReply(HttpStatusCode Http, GrpcStatusCode? Code, string Message, byte[] Body, HttpResponseMessage Response)
{
    public bool TrailersOnly => Response.Headers.Contains(GrpcWire.StatusHeader);
}

/// <summary>Sends hand-made gRPC requests, so tests can send what no well-behaved client would.</summary>
internal static class GrpcTestClient
{
    public static Task<GrpcReply> ExportAsync(HttpClient client, Uri server, byte[] message, GrpcCompression compression = GrpcCompression.Identity,
        Action<HttpRequestMessage>? configure = null) =>
        SendAsync(client, server, GrpcWire.Frame(message, compression), request =>
        {
            if (compression == GrpcCompression.Gzip) request.Headers.Add(GrpcWire.EncodingHeader, "gzip");
            configure?.Invoke(request);
        });

    /// <summary>Posts <paramref name="body"/> as it is (frames included) to the Export method unless told otherwise.</summary>
    public static async Task<GrpcReply> SendAsync(HttpClient client, Uri server, byte[] body, Action<HttpRequestMessage>? configure = null,
        string path = GrpcWire.ExportPath, HttpMethod? method = null, string contentType = "application/grpc")
    {
        using var request = new HttpRequestMessage(method ?? HttpMethod.Post, new Uri(server, path))
        {
            // A hand-made request does not take the client's defaults.
            Version = client.DefaultRequestVersion,
            VersionPolicy = client.DefaultVersionPolicy,
        };
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.TE.ParseAdd("trailers");
        configure?.Invoke(request);
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var status = Header(response.Headers, GrpcWire.StatusHeader) ?? Header(response.TrailingHeaders, GrpcWire.StatusHeader);
        var message = Header(response.Headers, GrpcWire.MessageHeader) ?? Header(response.TrailingHeaders, GrpcWire.MessageHeader);
        return new GrpcReply(response.StatusCode, status is null ? null : (GrpcStatusCode)int.Parse(status, System.Globalization.CultureInfo.InvariantCulture), GrpcWire.DecodeMessage(message), bytes, response);
    }

    private static string? Header(HttpHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
