using Collector.Core.Extensions;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.AspNetCore.Http;

namespace Collector.Receivers.Otlp;

/// <summary>
/// Runs in front of Grpc.AspNetCore, before the request body is read: credentials first, then a slot under
/// <see cref="OtlpReceiverOptions.MaxConcurrentRequests"/> (shared with the HTTP transport). A full receiver
/// answers UNAVAILABLE at once, so the bodies in memory stay bounded by the slots, whatever arrives; Grpc.AspNetCore
/// would read a unary body whole before any interceptor or service code could refuse it. Refusals are
/// trailers-only responses (status in the headers, no body), as the gRPC HTTP/2 mapping allows.
/// <para>It also counts what Grpc.AspNetCore refused by itself (framing, size, compression, method, content
/// type): those requests never reached <see cref="GrpcExportService"/>, so they are failed requests.</para>
/// </summary>
internal sealed class GrpcAdmission(OtlpReceiverContext receiver, IServerAuthenticator? authenticator)
{
    private static readonly object HandledKey = new();

    private TransportCounters Counters => receiver.Grpc;

    /// <summary>Called by the service: from here on, the request's outcome is counted there.</summary>
    public static void MarkHandled(HttpContext context) => context.Items[HandledKey] = HandledKey;

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            // gRPC is POST only; Grpc.AspNetCore's routes would take other methods as calls.
            Counters.Failed(0);
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            context.Response.Headers.Allow = "POST";
            return;
        }
        if (context.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>()?.Method.FullName != GrpcExportBinding.Export.FullName)
        {
            // Not the export method (unknown method, wrong HTTP method): Grpc.AspNetCore and routing answer it.
            Counters.Failed(0);
            await next(context).ConfigureAwait(false);
            return;
        }
        if (!IsProtobufGrpc(context.Request.ContentType))
        {
            // Grpc.AspNetCore takes any application/grpc+<codec> as a call; ours decodes protobuf only, so +json is 415.
            Counters.Failed(0);
            context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return;
        }
        if (authenticator?.Authenticate(new RequestHeaders(context.Request.Headers)) is { } denied)
        {
            Counters.Failed(0);
            receiver.LogUnauthenticated(Counters, context, denied);
            Refuse(context.Response, StatusCode.Unauthenticated, denied);
            return;
        }
        if (!receiver.TryEnter())
        {
            Counters.Refused(0);
            Refuse(context.Response, StatusCode.Unavailable, "too many requests in progress; retry later");
            return;
        }
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            receiver.Exit();
        }
        if (!context.Items.ContainsKey(HandledKey)) Counters.Failed(0);
    }

    private static bool IsProtobufGrpc(string? contentType)
    {
        var mediaType = (contentType ?? "").Split(';')[0].Trim();
        return mediaType.Equals("application/grpc", StringComparison.OrdinalIgnoreCase)
            || mediaType.Equals("application/grpc+proto", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A trailers-only response: HTTP 200 with the gRPC status in the headers and no body.</summary>
    private static void Refuse(HttpResponse response, StatusCode code, string message)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/grpc";
        response.Headers["grpc-status"] = ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture);
        // grpc-message is percent-encoded; escaping more than the spec requires is still valid for every decoder.
        response.Headers["grpc-message"] = Uri.EscapeDataString(message);
    }
}
