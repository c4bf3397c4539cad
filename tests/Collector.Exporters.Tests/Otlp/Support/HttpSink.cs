using System.Collections.Concurrent;
using System.IO.Compression;
using Collector.Otlp;
using Collector.Otlp.Proto.Collector;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Collector.Exporters.Tests.Otlp.Support;

/// <summary>How the HTTP sink answers one request.</summary>
public sealed record HttpReply
{
    public static HttpReply Ok { get; } = new();

    public int Status { get; init; } = 200;

    /// <summary>The Retry-After header value, verbatim (seconds or an HTTP date).</summary>
    public string? RetryAfter { get; init; }

    /// <summary>A body to send instead of the default (an empty ExportProfilesServiceResponse, or nothing on errors).</summary>
    public byte[]? Body { get; init; }

    public string? ContentType { get; init; }

    public long RejectedProfiles { get; init; }

    public string PartialMessage { get; init; } = "";

    public static HttpReply WithStatus(int status, string? retryAfter = null) => new() { Status = status, RetryAfter = retryAfter };
}

/// <summary>
/// An OTLP/HTTP backend for tests on 127.0.0.1: accepts POSTs (protobuf or JSON, gzip or not), decodes and keeps
/// them, and answers as <see cref="Reply"/> says. Successful answers use the request's content type, as OTLP asks.
/// </summary>
public sealed class HttpSink : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReceivedRequest> _received = new();
    private SinkServer? _server;
    private int _calls;

    public int Port => _server?.Port ?? throw new InvalidOperationException("not started");

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public Func<ReceivedRequest, HttpReply> Reply { get; set; } = _ => HttpReply.Ok;

    public IReadOnlyList<ReceivedRequest> Received => [.. _received];

    public int Calls => Volatile.Read(ref _calls);

    public static async Task<HttpSink> StartAsync(int port = 0)
    {
        var sink = new HttpSink();
        sink._server = await SinkServer.StartAsync(port, HttpProtocols.Http1AndHttp2, null, null, sink.HandleAsync);
        return sink;
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is { } server)
        {
            _server = null;
            await server.DisposeAsync();
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var number = Interlocked.Increment(ref _calls);
        var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
        using var wire = new MemoryStream();
        await context.Request.Body.CopyToAsync(wire, context.RequestAborted);
        var bytes = wire.ToArray();
        var gzip = string.Equals(context.Request.Headers.ContentEncoding, "gzip", StringComparison.OrdinalIgnoreCase);
        var message = gzip ? Gunzip(bytes) : bytes;
        var json = context.Request.ContentType == "application/json";
        var received = new ReceivedRequest
        {
            Number = number,
            At = DateTimeOffset.UtcNow,
            Path = context.Request.Path,
            Headers = headers,
            Wire = bytes,
            Message = message,
            Request = json ? OtlpJson.Parse(message) : ExportProfilesServiceRequest.Parser.ParseFrom(message),
        };
        var reply = Reply(received);
        if (reply.Status is >= 200 and < 300) _received.Enqueue(received);

        context.Response.StatusCode = reply.Status;
        if (reply.RetryAfter is not null) context.Response.Headers.RetryAfter = reply.RetryAfter;
        if (reply.Body is { } body)
        {
            context.Response.ContentType = reply.ContentType ?? "application/octet-stream";
            await context.Response.Body.WriteAsync(body, context.RequestAborted);
            return;
        }
        if (reply.Status is < 200 or >= 300) return;
        var response = new ExportProfilesServiceResponse();
        if (reply.RejectedProfiles != 0 || reply.PartialMessage.Length > 0)
        {
            response.PartialSuccess = new ExportProfilesPartialSuccess { RejectedProfiles = reply.RejectedProfiles, ErrorMessage = reply.PartialMessage };
        }
        context.Response.ContentType = context.Request.ContentType;
        var payload = json ? System.Text.Encoding.UTF8.GetBytes(JsonFormatter.Default.Format(response)) : response.ToByteArray();
        await context.Response.Body.WriteAsync(payload, context.RequestAborted);
    }

    private static byte[] Gunzip(byte[] bytes)
    {
        using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
        using var plain = new MemoryStream();
        gzip.CopyTo(plain);
        return plain.ToArray();
    }
}
