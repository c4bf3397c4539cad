using Collector.Core.Extensions;
using Collector.Otlp;
using Collector.Otlp.Proto.Collector;
using Collector.Protocol.Grpc;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Collector.Receivers.Otlp;

/// <summary>
/// Serves OTLP/HTTP: POST <c>/v1development/profiles</c> with a protobuf or JSON
/// <c>ExportProfilesServiceRequest</c>, optionally gzip-compressed. Answers are in the request's encoding: an
/// <c>ExportProfilesServiceResponse</c> on success, a <c>google.rpc.Status</c> on failure, with the HTTP status
/// OTLP/HTTP clients act on (503 and 429 carry <c>Retry-After</c> and are retried; the rest are not).
/// Requests that never got as far as an encoding (wrong path, method or content type) get plain text, as from
/// the Collector.
/// </summary>
internal sealed class HttpExportEndpoint(OtlpReceiverContext receiver, IServerAuthenticator? authenticator, int maxBodyBytes)
{
    private const string ProtobufContentType = "application/x-protobuf";
    private const string JsonContentType = "application/json";

    /// <summary>Seconds a refused client should wait: long enough to let a burst pass, short enough not to stall a sender.</summary>
    private const string RetryAfterSeconds = "1";

    private static readonly byte[] EmptyJsonResponse = "{}"u8.ToArray();

    private TransportCounters Counters => receiver.Http;

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        if (!string.Equals(request.Path.Value, OtlpPaths.HttpProfiles, StringComparison.Ordinal))
        {
            Counters.Failed(0);
            await PlainAsync(context, StatusCodes.Status404NotFound, $"404 page not found; profiles are accepted at {OtlpPaths.HttpProfiles}").ConfigureAwait(false);
            return;
        }
        if (!HttpMethods.IsPost(request.Method))
        {
            Counters.Failed(0);
            context.Response.Headers.Allow = "POST";
            await PlainAsync(context, StatusCodes.Status405MethodNotAllowed, "405 method not allowed, supported: [POST]").ConfigureAwait(false);
            return;
        }
        if (EncodingOf(request.ContentType) is not { } json)
        {
            Counters.Failed(0);
            await PlainAsync(context, StatusCodes.Status415UnsupportedMediaType,
                $"415 unsupported media type, supported: [{JsonContentType}, {ProtobufContentType}]").ConfigureAwait(false);
            return;
        }
        if (!TryContentEncoding(request, out var gzip))
        {
            Counters.Failed(0);
            await PlainAsync(context, StatusCodes.Status415UnsupportedMediaType,
                $"415 unsupported Content-Encoding \"{request.Headers.ContentEncoding}\", supported: [gzip, identity]").ConfigureAwait(false);
            return;
        }
        if (authenticator?.Authenticate(new RequestHeaders(request.Headers)) is { } denied)
        {
            Counters.Failed(0);
            receiver.LogUnauthenticated(Counters, context, denied);
            await StatusAsync(context, json, StatusCodes.Status401Unauthorized, new RpcStatus(GrpcStatusCode.Unauthenticated, denied)).ConfigureAwait(false);
            return;
        }
        if (!receiver.TryEnter())
        {
            Counters.Refused(0);
            await StatusAsync(context, json, StatusCodes.Status503ServiceUnavailable,
                new RpcStatus(GrpcStatusCode.Unavailable, "too many requests in progress; retry later")).ConfigureAwait(false);
            return;
        }
        try
        {
            await ExportAsync(context, json, gzip).ConfigureAwait(false);
        }
        finally
        {
            receiver.Exit();
        }
    }

    private async Task ExportAsync(HttpContext context, bool json, bool gzip)
    {
        var request = context.Request;
        var aborted = context.RequestAborted;
        if (request.ContentLength > maxBodyBytes)
        {
            // Refused on the header alone: nothing of an announced oversized body is read.
            Counters.Failed(0);
            await TooLargeAsync(context, json, $"the request body of {request.ContentLength} bytes is larger than the limit of {maxBodyBytes} bytes").ConfigureAwait(false);
            return;
        }
        var exporting = false;
        try
        {
            ExportProfilesServiceRequest? parsed;
            string? malformed;
            using (var body = await BoundedRead.ToEndAsync(request.Body, maxBodyBytes, request.ContentLength, "the request body", aborted).ConfigureAwait(false))
            {
                if (gzip)
                {
                    using var inflated = await BoundedRead.GunzipAsync(body.Memory, maxBodyBytes, "the decompressed request body", aborted).ConfigureAwait(false);
                    parsed = TryParse(inflated.Span, json, out malformed);
                }
                else
                {
                    parsed = TryParse(body.Span, json, out malformed);
                }
            }
            ExportResult result;
            if (parsed is null)
            {
                result = receiver.Handler.Malformed(Counters, OtlpReceiverContext.Remote(context), malformed!);
            }
            else
            {
                exporting = true;
                result = await receiver.Handler.ExportAsync(parsed, Counters, OtlpReceiverContext.Remote(context), aborted).ConfigureAwait(false);
            }
            if (result.IsOk)
            {
                context.Response.StatusCode = StatusCodes.Status200OK;
                context.Response.ContentType = json ? JsonContentType : ProtobufContentType;
                // An empty ExportProfilesServiceResponse: zero bytes in protobuf, an empty object in JSON.
                if (json) await context.Response.Body.WriteAsync(EmptyJsonResponse, aborted).ConfigureAwait(false);
                else context.Response.ContentLength = 0;
                return;
            }
            var status = OtlpStatusMapping.ToHttpStatus(result.Code);
            await StatusAsync(context, json, status, new RpcStatus(result.Code, result.Message)).ConfigureAwait(false);
        }
        catch (PayloadTooLargeException error)
        {
            Counters.Failed(0);
            await TooLargeAsync(context, json, error.Message).ConfigureAwait(false);
        }
        catch (InvalidDataException error)
        {
            Counters.Failed(0);
            await StatusAsync(context, json, StatusCodes.Status400BadRequest,
                new RpcStatus(GrpcStatusCode.InvalidArgument, "the gzip request body is corrupt: " + error.Message)).ConfigureAwait(false);
        }
        catch (Exception error) when (aborted.IsCancellationRequested && error is OperationCanceledException or IOException)
        {
            // The client went away; there is no one to answer.
            if (!exporting) Counters.Failed(0);
        }
        catch (IOException error)
        {
            // Kestrel's BadHttpRequestException: a body shorter than its Content-Length, bad chunking.
            Counters.Failed(0);
            await StatusAsync(context, json, StatusCodes.Status400BadRequest,
                new RpcStatus(GrpcStatusCode.InvalidArgument, "reading the request body failed: " + error.Message)).ConfigureAwait(false);
        }
    }

    private static ExportProfilesServiceRequest? TryParse(ReadOnlySpan<byte> body, bool json, out string? error)
    {
        error = null;
        try
        {
            return json ? OtlpJson.Parse(body) : ExportProfilesServiceRequest.Parser.ParseFrom(body);
        }
        catch (OtlpFormatException e)
        {
            error = "the body is not a valid OTLP/JSON ExportProfilesServiceRequest: " + e.Message;
        }
        catch (InvalidProtocolBufferException e)
        {
            error = "the body is not a valid protobuf ExportProfilesServiceRequest: " + e.Message;
        }
        return null;
    }

    private Task TooLargeAsync(HttpContext context, bool json, string message) =>
        StatusAsync(context, json, StatusCodes.Status413RequestEntityTooLarge, new RpcStatus(GrpcStatusCode.ResourceExhausted, message));

    /// <summary>True for JSON, false for protobuf, null for any other media type (parameters such as charset are ignored).</summary>
    private static bool? EncodingOf(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var mediaType)) return null;
        if (mediaType.MediaType.Equals(JsonContentType, StringComparison.OrdinalIgnoreCase)) return true;
        if (mediaType.MediaType.Equals(ProtobufContentType, StringComparison.OrdinalIgnoreCase)) return false;
        return null;
    }

    private static bool TryContentEncoding(HttpRequest request, out bool gzip)
    {
        var value = request.Headers.ContentEncoding.ToString().Trim();
        gzip = value.Equals("gzip", StringComparison.OrdinalIgnoreCase);
        return gzip || value.Length == 0 || value.Equals("identity", StringComparison.OrdinalIgnoreCase);
    }

    private static async Task StatusAsync(HttpContext context, bool json, int status, RpcStatus body)
    {
        var response = context.Response;
        response.StatusCode = status;
        if (OtlpStatusMapping.IsRetryableHttpStatus(status)) response.Headers.RetryAfter = RetryAfterSeconds;
        response.ContentType = json ? JsonContentType : ProtobufContentType;
        var bytes = json ? body.ToJson() : body.ToProtobuf();
        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task PlainAsync(HttpContext context, int status, string text)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(text, context.RequestAborted).ConfigureAwait(false);
    }
}
