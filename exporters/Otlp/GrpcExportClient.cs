using System.Net;
using System.Net.Http.Headers;
using Collector.Exporters.Sending;
using Collector.Otlp.Proto.Collector;
using Collector.Protocol.Grpc;
using Google.Protobuf;

namespace Collector.Exporters.Otlp;

/// <summary>
/// The unary Export call of OTLP/gRPC over HTTP/2 (h2c with prior knowledge, or TLS with ALPN h2), following
/// grpc/doc/PROTOCOL-HTTP2.md: one length-prefixed message, <c>grpc-timeout</c> from <c>timeout</c>, gzip when
/// configured; the outcome is <c>grpc-status</c> from the trailers (or from the headers of a trailers-only
/// response), or, when a proxy answered without one, the spec's mapping of the HTTP status.
/// </summary>
internal sealed class GrpcExportClient : IExportClient
{
    /// <summary>OTLP recommends accepting responses of up to 4 MiB.</summary>
    private const int MaxResponseSize = 4 * 1024 * 1024;

    private static readonly MediaTypeHeaderValue GrpcContentType = new(GrpcProtocol.ContentType);

    private readonly HttpClient _http;
    private readonly Uri _uri;
    private readonly OtlpGrpcExporterOptions _options;
    private readonly ExporterCounters _counters;
    private readonly TimeProvider _time;
    private readonly GrpcCompression _compression;

    public GrpcExportClient(OtlpGrpcExporterOptions options, ExporterCounters counters, TimeProvider time)
    {
        if (!options.TryParseEndpoint(out var host, out var port, out var useTls))
        {
            throw new ArgumentException($"endpoint \"{options.Endpoint}\" is not host:port", nameof(options));
        }
        _options = options;
        _counters = counters;
        _time = time;
        _compression = options.IsGzip ? GrpcCompression.Gzip : GrpcCompression.Identity;
        _uri = new UriBuilder(useTls ? Uri.UriSchemeHttps : Uri.UriSchemeHttp, host, port, OtlpPaths.GrpcProfilesExport).Uri;
        // The per-attempt timeout is ours (it must become DEADLINE_EXCEEDED), not HttpClient's.
        _http = new HttpClient(ClientHandlerFactory.Create(options.Tls, http2Only: true)) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public async Task<ExportResponse> SendAsync(ExportRequest request, CancellationToken cancellationToken)
    {
        byte[] frame;
        try
        {
            frame = GrpcFrame.Encode(RequestBodies.In(request, RequestEncoding.Proto), _compression);
        }
        catch (Exception error) when (error is InvalidProtocolBufferException or Collector.Otlp.OtlpFormatException)
        {
            throw new ExportFailedException("the queued request could not be re-encoded: " + error.Message, retryable: false, inner: error);
        }

        using var deadline = new CancellationTokenSource(_options.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        using var message = CreateMessage(frame);
        try
        {
            using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            _counters.BytesSent(frame.Length);
            return await ReadResponseAsync(response, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException error)
        {
            throw Failure(GrpcStatusCode.DeadlineExceeded, $"no response within the timeout of {_options.Timeout}", null, error);
        }
        catch (GrpcStatusException error)
        {
            // The response itself was malformed (framing, compression, size).
            throw Failure(error.Code, "malformed response: " + error.Message, null, error);
        }
        catch (Exception error) when (error is HttpRequestException or IOException)
        {
            // Connection refused or reset, TLS handshake failed, stream reset: the server may be back later.
            throw Failure(GrpcStatusCode.Unavailable, Describe(error), null, error);
        }
    }

    public void Dispose() => _http.Dispose();

    private HttpRequestMessage CreateMessage(byte[] frame)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, _uri)
        {
            Version = HttpVersion.Version20,
            // h2c needs prior knowledge: never fall back to HTTP/1.1, which gRPC cannot use.
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(frame),
        };
        message.Content.Headers.ContentType = GrpcContentType;
        var headers = message.Headers;
        headers.TryAddWithoutValidation(GrpcProtocol.TeHeader, GrpcProtocol.TeTrailers);
        headers.TryAddWithoutValidation(GrpcProtocol.TimeoutHeader, GrpcTimeout.Format(_options.Timeout));
        if (_compression == GrpcCompression.Gzip) headers.TryAddWithoutValidation(GrpcProtocol.EncodingHeader, _compression.HeaderValue());
        headers.TryAddWithoutValidation(GrpcProtocol.AcceptEncodingHeader, GrpcCompressions.AcceptEncoding);
        if (_options.Tls.ServerNameOverride.Length > 0) headers.Host = _options.Tls.ServerNameOverride;
        foreach (var (name, value) in _options.Headers) headers.TryAddWithoutValidation(name, value);
        return message;
    }

    private static async Task<ExportResponse> ReadResponseAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        // Trailers-only: the status comes in the headers and there is no body worth reading.
        if (Header(response.Headers, GrpcProtocol.StatusHeader) is not null) return Complete(response.Headers);

        if (response.StatusCode != HttpStatusCode.OK || !GrpcProtocol.IsGrpcContentType(response.Content.Headers.ContentType?.ToString()))
        {
            var code = response.StatusCode == HttpStatusCode.OK ? GrpcStatusCode.Unknown : OtlpStatusMapping.FromHttpStatus((int)response.StatusCode);
            var contentType = response.Content.Headers.ContentType?.ToString() ?? "none";
            throw Failure(code, $"not a gRPC response: HTTP {(int)response.StatusCode}, content-type {contentType}", null, null);
        }

        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var encoding = Header(response.Headers, GrpcProtocol.EncodingHeader);
        using var reply = await GrpcMessageReader.ReadNextAsync(body, encoding, MaxResponseSize, cancellationToken).ConfigureAwait(false);
        // Read to the end: only then has HttpClient seen the trailers.
        while (await GrpcMessageReader.ReadNextAsync(body, encoding, MaxResponseSize, cancellationToken).ConfigureAwait(false) is { } extra) extra.Dispose();

        Complete(response.TrailingHeaders);
        return reply is null ? ExportResponse.Complete : PartialSuccess.FromProtobuf(reply.Span);
    }

    /// <summary>Returns when the status is OK; otherwise throws the failure it describes.</summary>
    private static ExportResponse Complete(HttpHeaders headers)
    {
        var status = Header(headers, GrpcProtocol.StatusHeader);
        if (status is null)
        {
            throw Failure(GrpcStatusCode.Internal, "the server closed the stream without a grpc-status", null, null);
        }
        var code = GrpcStatusCodes.Parse(status);
        if (code == GrpcStatusCode.OK) return ExportResponse.Complete;
        var message = GrpcMessageText.Decode(Header(headers, GrpcProtocol.MessageHeader));
        RpcStatus.TryParseDetailsHeader(Header(headers, GrpcProtocol.StatusDetailsHeader), out var details);
        throw Failure(code, message, details?.RetryDelay, null);
    }

    private static ExportFailedException Failure(GrpcStatusCode code, string message, TimeSpan? retryDelay, Exception? inner) =>
        new($"{code.CanonicalName()}: {message}", OtlpStatusMapping.IsRetryable(code, retryDelay is not null), retryDelay, inner);

    private static string? Header(HttpHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static string Describe(Exception error) =>
        error.InnerException is { } inner ? $"{error.Message} ({inner.Message})" : error.Message;
}
