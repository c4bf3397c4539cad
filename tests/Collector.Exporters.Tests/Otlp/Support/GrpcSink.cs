using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using Collector.Otlp.Proto.Collector;
using Collector.Protocol.Grpc;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Collector.Exporters.Tests.Otlp.Support;

/// <summary>How the gRPC sink answers one call.</summary>
public sealed record GrpcReply
{
    public static GrpcReply Ok { get; } = new();

    public GrpcStatusCode Code { get; init; } = GrpcStatusCode.OK;

    public string Message { get; init; } = "";

    /// <summary>Sent as google.rpc.RetryInfo in grpc-status-details-bin.</summary>
    public TimeSpan? RetryDelay { get; init; }

    /// <summary>How long to wait before answering (to provoke the client's timeout).</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>The status in the response headers, with no body and no trailers.</summary>
    public bool TrailersOnly { get; init; }

    public long RejectedProfiles { get; init; }

    public string PartialMessage { get; init; } = "";

    public static GrpcReply Status(GrpcStatusCode code, string message = "test") => new() { Code = code, Message = message };
}

/// <summary>
/// An OTLP/gRPC backend for tests: h2c (or TLS when given a certificate) on 127.0.0.1, decoding every Export call
/// with the test framing helper, keeping it, and answering as <see cref="Reply"/> says (by call number, from 1).
/// </summary>
public sealed class GrpcSink : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReceivedRequest> _received = new();
    private SinkServer? _server;
    private int _calls;

    private GrpcSink()
    {
    }

    public int Port => _server?.Port ?? throw new InvalidOperationException("not started");

    public string Endpoint => $"127.0.0.1:{Port}";

    public Func<ReceivedRequest, GrpcReply> Reply { get; set; } = _ => GrpcReply.Ok;

    public IReadOnlyList<ReceivedRequest> Received => [.. _received];

    /// <summary>Calls answered so far, whatever the answer.</summary>
    public int Calls => Volatile.Read(ref _calls);

    public static async Task<GrpcSink> StartAsync(int port = 0, X509Certificate2? certificate = null, X509Certificate2? clientAuthority = null)
    {
        var sink = new GrpcSink();
        var protocols = certificate is null ? HttpProtocols.Http2 : HttpProtocols.Http1AndHttp2;
        sink._server = await SinkServer.StartAsync(port, protocols, certificate, clientAuthority, sink.HandleAsync);
        return sink;
    }

    /// <summary>Stops listening; calls then fail with connection refused until <see cref="RestartAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (_server is { } server)
        {
            _server = null;
            await server.DisposeAsync();
        }
    }

    public async Task RestartAsync(int port)
    {
        await StopAsync();
        _server = await SinkServer.StartAsync(port, HttpProtocols.Http2, null, null, HandleAsync);
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    private async Task HandleAsync(HttpContext context)
    {
        var number = Interlocked.Increment(ref _calls);
        var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
        using var wire = new MemoryStream();
        await context.Request.Body.CopyToAsync(wire, context.RequestAborted);
        var bytes = wire.ToArray();
        headers.TryGetValue(GrpcWire.EncodingHeader, out var encoding);
        var message = GrpcWire.ReadSingle(bytes, encoding);
        var received = new ReceivedRequest
        {
            Number = number,
            At = DateTimeOffset.UtcNow,
            Path = context.Request.Path,
            Headers = headers,
            Wire = bytes,
            Message = message,
            Request = ExportProfilesServiceRequest.Parser.ParseFrom(message),
        };
        var reply = Reply(received);
        if (reply.Delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(reply.Delay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
        if (reply.Code == GrpcStatusCode.OK) _received.Enqueue(received);

        context.Response.StatusCode = 200;
        context.Response.ContentType = GrpcWire.ContentType;
        if (reply.TrailersOnly)
        {
            SetStatus(context.Response.Headers, reply);
            return;
        }
        if (reply.Code == GrpcStatusCode.OK)
        {
            var response = new ExportProfilesServiceResponse();
            if (reply.RejectedProfiles != 0 || reply.PartialMessage.Length > 0)
            {
                response.PartialSuccess = new ExportProfilesPartialSuccess { RejectedProfiles = reply.RejectedProfiles, ErrorMessage = reply.PartialMessage };
            }
            await context.Response.Body.WriteAsync(GrpcWire.Frame(response.ToByteArray()), context.RequestAborted);
        }
        context.Response.AppendTrailer(GrpcWire.StatusHeader, reply.Code.HeaderValue());
        if (reply.Message.Length > 0) context.Response.AppendTrailer(GrpcWire.MessageHeader, GrpcWire.EncodeMessage(reply.Message));
        if (reply.RetryDelay is { } delay)
        {
            context.Response.AppendTrailer(GrpcWire.StatusDetailsHeader, new RpcStatus(reply.Code, reply.Message, delay).ToDetailsHeader());
        }
    }

    private static void SetStatus(IHeaderDictionary headers, GrpcReply reply)
    {
        headers[GrpcWire.StatusHeader] = reply.Code.HeaderValue();
        if (reply.Message.Length > 0) headers[GrpcWire.MessageHeader] = GrpcWire.EncodeMessage(reply.Message);
        if (reply.RetryDelay is { } delay) headers[GrpcWire.StatusDetailsHeader] = new RpcStatus(reply.Code, reply.Message, delay).ToDetailsHeader();
    }
}
