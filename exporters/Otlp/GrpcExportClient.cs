using Collector.Exporters.Sending;
using Collector.Otlp.Proto.Collector;
using Collector.Protocol.Grpc;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;

namespace Collector.Exporters.Otlp;

/// <summary>
/// The unary Export call of OTLP/gRPC on a Grpc.Net.Client channel: HTTP/2 (h2c with prior knowledge, or TLS
/// with ALPN h2) over our <see cref="ClientHandlerFactory"/> handler, framing, gzip, <c>grpc-timeout</c> and the
/// status trailers are the library's. What stays ours is OTLP's reading of the outcome: which codes may be
/// retried, RetryInfo's delay, and partial success.
/// <para>The request goes out as the bytes the sending queue holds (a persistent queue keeps them on disk), through
/// a pass-through marshaller on the generated method's name, rather than through the generated client, which
/// would parse them into a message only to serialize it again.</para>
/// </summary>
internal sealed class GrpcExportClient : IExportClient
{
    /// <summary>OTLP recommends accepting responses of up to 4 MiB.</summary>
    private const int MaxResponseSize = 4 * 1024 * 1024;

    /// <summary>Five bytes of gRPC framing (flag and length) before each message.</summary>
    private const int FrameHeaderSize = 5;

    private static readonly Method<byte[], ExportProfilesServiceResponse> Export = new(
        MethodType.Unary,
        ProfilesService.Descriptor.FullName,
        ProfilesService.Descriptor.Methods[0].Name,
        Marshallers.Create(static (byte[] body) => body, static body => body),
        Marshallers.Create(static (ExportProfilesServiceResponse response) => response.ToByteArray(), ExportProfilesServiceResponse.Parser.ParseFrom));

    private readonly GrpcChannel _channel;
    private readonly CallInvoker _calls;
    private readonly Metadata _headers;
    private readonly OtlpGrpcExporterOptions _options;
    private readonly ExporterCounters _counters;
    private readonly TimeProvider _time;

    public GrpcExportClient(OtlpGrpcExporterOptions options, ExporterCounters counters, TimeProvider time)
    {
        if (!options.TryParseEndpoint(out var host, out var port, out var useTls))
        {
            throw new ArgumentException($"endpoint \"{options.Endpoint}\" is not host:port", nameof(options));
        }
        _options = options;
        _counters = counters;
        _time = time;
        var address = new UriBuilder(useTls ? Uri.UriSchemeHttps : Uri.UriSchemeHttp, host, port).Uri;
        HttpMessageHandler handler = ClientHandlerFactory.Create(options.Tls, http2Only: true);
        if (options.Tls.ServerNameOverride.Length > 0) handler = new AuthorityOverride(options.Tls.ServerNameOverride, handler);
        _channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            HttpHandler = handler,
            MaxReceiveMessageSize = MaxResponseSize,
            MaxSendMessageSize = null,
            // Compressed bytes are counted as they are written (RequestBytesSent).
            CompressionProviders = [new CountingGzipProvider(counters)],
            // Our shutdown cancels sends; that must surface as cancellation, not as a CANCELLED status to retry
            // (a passed deadline then surfaces as cancellation too, told apart below).
            ThrowOperationCanceledOnCancellation = true,
            DisposeHttpClient = true,
        });
        _calls = _channel.CreateCallInvoker();
        _headers = [];
        foreach (var (name, value) in options.Headers) _headers.Add(name, value);
        // Grpc.Net.Client's way to ask for a compressed request message.
        if (options.IsGzip) _headers.Add("grpc-internal-encoding-request", "gzip");
    }

    public async Task<ExportResponse> SendAsync(ExportRequest request, CancellationToken cancellationToken)
    {
        byte[] body;
        try
        {
            body = RequestBodies.In(request, RequestEncoding.Proto);
        }
        catch (Exception error) when (error is InvalidProtocolBufferException or Collector.Otlp.OtlpFormatException)
        {
            throw new ExportFailedException("the queued request could not be re-encoded: " + error.Message, retryable: false, inner: error);
        }

        var deadline = _time.GetUtcNow().UtcDateTime + _options.Timeout;
        try
        {
            if (!_options.IsGzip) _counters.BytesSent(FrameHeaderSize + body.Length);
            var response = await _calls.AsyncUnaryCall(Export, null, new CallOptions(_headers, deadline, cancellationToken), body).ResponseAsync.ConfigureAwait(false);
            return response.PartialSuccess is { } partial ? new ExportResponse(partial.RejectedProfiles, partial.ErrorMessage) : ExportResponse.Complete;
        }
        catch (OperationCanceledException error) when (!cancellationToken.IsCancellationRequested)
        {
            // With ThrowOperationCanceledOnCancellation, a passed deadline surfaces as cancellation too.
            throw new ExportFailedException($"DEADLINE_EXCEEDED: no response within the timeout of {_options.Timeout}", retryable: true, inner: error);
        }
        catch (RpcException error) when (!cancellationToken.IsCancellationRequested)
        {
            var code = (GrpcStatusCode)(int)error.StatusCode;
            // A refused connection or a failed TLS handshake surfaces as INTERNAL "Error starting gRPC call"; the
            // server may be back (or fixed) later, so it is UNAVAILABLE, as the gRPC spec has it for transport failures.
            if (code is GrpcStatusCode.Internal or GrpcStatusCode.Unknown && error.Status.DebugException is HttpRequestException or IOException)
            {
                code = GrpcStatusCode.Unavailable;
            }
            var retryDelay = RetryDelay(error.Trailers);
            throw new ExportFailedException($"{code.CanonicalName()}: {error.Status.Detail}", OtlpStatusMapping.IsRetryable(code, retryDelay is not null), retryDelay, error);
        }
        catch (RpcException error) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping while the call failed (a refused connection races the cancellation): the request stays with its
            // owner, queued or on disk, as for any send a shutdown interrupts. Escaping as an RpcException, it was
            // dropped as an "unexpected error" and a persisted request was lost.
            throw new OperationCanceledException("the exporter is stopping", error, cancellationToken);
        }
    }

    public void Dispose() => _channel.Dispose();

    /// <summary>The delay of a <c>google.rpc.RetryInfo</c> in <c>grpc-status-details-bin</c>, when the server sent one.</summary>
    private static TimeSpan? RetryDelay(Metadata trailers)
    {
        var details = trailers.GetValueBytes("grpc-status-details-bin");
        if (details is null) return null;
        try
        {
            return RpcStatus.ParseProtobuf(details).RetryDelay;
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }
    }

    /// <summary>
    /// <c>tls.server_name_override</c>: the name sent as <c>:authority</c>, which SocketsHttpHandler also uses for
    /// SNI and to check the certificate. Grpc.Net.Client takes the authority from the channel's address.
    /// </summary>
    private sealed class AuthorityOverride(string authority, HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Host = authority;
            return base.SendAsync(request, cancellationToken);
        }
    }
}
