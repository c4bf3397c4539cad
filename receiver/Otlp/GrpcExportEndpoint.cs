using Collector.Core.Extensions;
using Collector.Otlp.Proto.Collector;
using Collector.Protocol.Grpc;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;

namespace Collector.Receivers.Otlp;

/// <summary>
/// Serves the unary <c>ProfilesService/Export</c> call over gRPC's HTTP/2 mapping. A success is response
/// headers, one framed <c>ExportProfilesServiceResponse</c> and the <c>grpc-status: 0</c> trailer; every error
/// is a trailers-only response (status and message in the one HEADERS frame), so it costs the client nothing to
/// read. The checks run cheapest first, and the body is read only once a concurrency slot is held.
/// </summary>
internal sealed class GrpcExportEndpoint(OtlpReceiverContext receiver, IServerAuthenticator? authenticator, int maxMessageBytes)
{
    /// <summary>An empty <c>ExportProfilesServiceResponse</c> (no partial success) is a zero-length message.</summary>
    private static readonly byte[] EmptyResponseFrame = GrpcFrame.Encode([], GrpcCompression.Identity);

    /// <summary>grpc-message is a header: keep it well below what clients accept for a header list.</summary>
    private const int MaxMessageLength = 1024;

    private TransportCounters Counters => receiver.Grpc;

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        if (!HttpMethods.IsPost(request.Method))
        {
            Counters.Failed(0);
            response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            response.Headers.Allow = "POST";
            return;
        }
        if (!GrpcProtocol.IsGrpcContentType(request.ContentType))
        {
            Counters.Failed(0);
            response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return;
        }
        if (!HttpProtocol.IsHttp2(request.Protocol))
        {
            // Only reachable over TLS, where ALPN may settle on HTTP/1.1: gRPC needs HTTP/2's trailers.
            Counters.Failed(0);
            WriteStatus(response, GrpcStatusCode.Internal, $"gRPC requires HTTP/2, the request came as {request.Protocol}");
            response.StatusCode = StatusCodes.Status426UpgradeRequired;
            return;
        }
        if (!string.Equals(request.Path.Value, OtlpPaths.GrpcProfilesExport, StringComparison.Ordinal))
        {
            Counters.Failed(0);
            WriteStatus(response, GrpcStatusCode.Unimplemented, $"unknown method {request.Path.Value}; this server offers {OtlpPaths.GrpcProfilesExport}");
            return;
        }
        if (authenticator?.Authenticate(new RequestHeaders(request.Headers)) is { } denied)
        {
            Counters.Failed(0);
            receiver.LogUnauthenticated(Counters, context, denied);
            WriteStatus(response, GrpcStatusCode.Unauthenticated, denied);
            return;
        }
        TimeSpan? timeout = null;
        if (request.Headers[GrpcProtocol.TimeoutHeader] is { Count: > 0 } timeoutHeader)
        {
            if (!GrpcTimeout.TryParse(timeoutHeader[0], out var parsed))
            {
                Counters.Failed(0);
                WriteStatus(response, GrpcStatusCode.Internal, $"malformed grpc-timeout \"{timeoutHeader[0]}\"");
                return;
            }
            timeout = parsed;
        }
        if (!receiver.TryEnter())
        {
            Counters.Refused(0);
            WriteStatus(response, GrpcStatusCode.Unavailable, "too many requests in progress; retry later");
            return;
        }
        try
        {
            await ExportAsync(context, timeout).ConfigureAwait(false);
        }
        finally
        {
            receiver.Exit();
        }
    }

    private async Task ExportAsync(HttpContext context, TimeSpan? timeout)
    {
        using var deadline = timeout is { } after ? new CancellationTokenSource(after, receiver.Time) : null;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, deadline?.Token ?? CancellationToken.None);
        var exporting = false;
        ExportResult result;
        try
        {
            ExportProfilesServiceRequest? parsed;
            string? malformed;
            // The message bytes go back to the pool before the (possibly slow) push downstream.
            using (var message = await GrpcMessageReader.ReadSingleAsync(context.Request.Body, context.Request.Headers[GrpcProtocol.EncodingHeader], maxMessageBytes, linked.Token).ConfigureAwait(false))
            {
                parsed = TryParse(message, out malformed);
            }
            if (parsed is null)
            {
                result = receiver.Handler.Malformed(Counters, Remote(context), "the message is not a valid ExportProfilesServiceRequest: " + malformed);
            }
            else
            {
                exporting = true;
                result = await receiver.Handler.ExportAsync(parsed, Counters, Remote(context), linked.Token).ConfigureAwait(false);
            }
        }
        catch (GrpcStatusException error)
        {
            Counters.Failed(0);
            result = new ExportResult(error.Code, error.Message);
        }
        catch (OperationCanceledException) when (deadline?.IsCancellationRequested == true && !context.RequestAborted.IsCancellationRequested)
        {
            if (!exporting) Counters.Failed(0);
            result = new ExportResult(GrpcStatusCode.DeadlineExceeded, $"the deadline of {timeout} passed before the export completed");
        }
        catch (Exception error) when (context.RequestAborted.IsCancellationRequested && error is OperationCanceledException or IOException)
        {
            // The client reset the stream or went away: there is no one to answer.
            if (!exporting) Counters.Failed(0);
            return;
        }
        catch (IOException error)
        {
            Counters.Failed(0);
            result = new ExportResult(GrpcStatusCode.Internal, "reading the request failed: " + error.Message);
        }
        if (result.IsOk)
        {
            var response = context.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = GrpcProtocol.ContentType;
            response.Headers[GrpcProtocol.AcceptEncodingHeader] = GrpcCompressions.AcceptEncoding;
            await response.Body.WriteAsync(EmptyResponseFrame, context.RequestAborted).ConfigureAwait(false);
            response.AppendTrailer(GrpcProtocol.StatusHeader, GrpcStatusCode.OK.HeaderValue());
        }
        else
        {
            WriteStatus(context.Response, result.Code, result.Message);
        }
    }

    private static ExportProfilesServiceRequest? TryParse(PooledBuffer message, out string? error)
    {
        error = null;
        try
        {
            return ExportProfilesServiceRequest.Parser.ParseFrom(message.Span);
        }
        catch (InvalidProtocolBufferException e)
        {
            error = e.Message;
            return null;
        }
    }

    /// <summary>A trailers-only response: HTTP 200 with the gRPC status in the headers and no body.</summary>
    private static void WriteStatus(HttpResponse response, GrpcStatusCode code, string message)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = GrpcProtocol.ContentType;
        response.Headers[GrpcProtocol.AcceptEncodingHeader] = GrpcCompressions.AcceptEncoding;
        response.Headers[GrpcProtocol.StatusHeader] = code.HeaderValue();
        if (message.Length > 0)
        {
            var shown = message.Length > MaxMessageLength ? message[..MaxMessageLength] + "…" : message;
            response.Headers[GrpcProtocol.MessageHeader] = GrpcMessageText.Encode(shown);
        }
    }

    private static string Remote(HttpContext context) => OtlpReceiverContext.Remote(context);
}
