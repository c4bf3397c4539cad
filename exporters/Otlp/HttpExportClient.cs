using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Collector.Exporters.Sending;
using Collector.Protocol.Grpc;
using Google.Protobuf;

namespace Collector.Exporters.Otlp;

/// <summary>
/// OTLP/HTTP: POST of the export as <c>application/x-protobuf</c> or <c>application/json</c>, gzip when
/// configured. 2xx is success (the body may report partial success); 429, 502, 503 and 504 are retryable and
/// honour <c>Retry-After</c> (seconds or an HTTP date); every other status is permanent; network errors and
/// timeouts are retryable. An error body (<c>google.rpc.Status</c>) lends its message to the report.
/// </summary>
internal sealed class HttpExportClient : IExportClient
{
    private const int MaxResponseSize = 4 * 1024 * 1024;
    private const int MaxErrorMessageLength = 512;

    private readonly HttpClient _http;
    private readonly Uri _url;
    private readonly OtlpHttpExporterOptions _options;
    private readonly ExporterCounters _counters;
    private readonly TimeProvider _time;
    private readonly RequestEncoding _encoding;
    private readonly MediaTypeHeaderValue _contentType;

    public HttpExportClient(OtlpHttpExporterOptions options, ExporterCounters counters, TimeProvider time)
    {
        _url = options.ProfilesUrl() ?? throw new ArgumentException($"\"{options.Endpoint}\" is not an http(s) URL", nameof(options));
        _options = options;
        _counters = counters;
        _time = time;
        _encoding = options.RequestEncoding;
        _contentType = new MediaTypeHeaderValue(_encoding == RequestEncoding.Json ? "application/json" : "application/x-protobuf");
        _http = new HttpClient(ClientHandlerFactory.Create(options.Tls, http2Only: false)) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public async Task<ExportResponse> SendAsync(ExportRequest request, CancellationToken cancellationToken)
    {
        byte[] body;
        try
        {
            body = RequestBodies.In(request, _encoding);
        }
        catch (Exception error) when (error is InvalidProtocolBufferException or Collector.Otlp.OtlpFormatException)
        {
            throw new ExportFailedException("the queued request could not be re-encoded: " + error.Message, retryable: false, inner: error);
        }
        if (_options.IsGzip) body = Gzip(body);

        using var deadline = new CancellationTokenSource(_options.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        using var message = CreateMessage(body);
        try
        {
            using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            _counters.BytesSent(body.Length);
            return await ReadResponseAsync(response, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException error)
        {
            throw new ExportFailedException($"no response within the timeout of {_options.Timeout}", retryable: true, inner: error);
        }
        catch (Exception error) when (error is HttpRequestException or IOException)
        {
            var reason = error.InnerException is { } inner ? $"{error.Message} ({inner.Message})" : error.Message;
            throw new ExportFailedException(reason, retryable: true, inner: error);
        }
    }

    public void Dispose() => _http.Dispose();

    private HttpRequestMessage CreateMessage(byte[] body)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, _url)
        {
            // HTTP/1.1 in the clear; over TLS, ALPN may agree on HTTP/2.
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrHigher,
            Content = new ByteArrayContent(body),
        };
        message.Content.Headers.ContentType = _contentType;
        if (_options.IsGzip) message.Content.Headers.ContentEncoding.Add("gzip");
        if (_options.Tls.ServerNameOverride.Length > 0) message.Headers.Host = _options.Tls.ServerNameOverride;
        foreach (var (name, value) in _options.Headers) message.Headers.TryAddWithoutValidation(name, value);
        return message;
    }

    private async Task<ExportResponse> ReadResponseAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var content = await ReadBodyAsync(response, cancellationToken).ConfigureAwait(false);
        var mediaType = response.Content.Headers.ContentType?.MediaType ?? "";
        var json = mediaType.EndsWith("json", StringComparison.OrdinalIgnoreCase);
        if (status is >= 200 and < 300)
        {
            return json ? PartialSuccess.FromJson(content) : PartialSuccess.FromProtobuf(content);
        }

        var protobuf = mediaType.Equals("application/x-protobuf", StringComparison.OrdinalIgnoreCase);
        var detail = ErrorMessage(content, json, protobuf);
        var reason = $"HTTP {status} {response.ReasonPhrase}" + (detail.Length > 0 ? ": " + detail : "");
        if (!OtlpStatusMapping.IsRetryableHttpStatus(status)) throw new ExportFailedException(reason, retryable: false);
        throw new ExportFailedException(reason, retryable: true, RetryAfter(response.Headers.RetryAfter));
    }

    /// <summary>The response body, or nothing when it is larger than any OTLP response should be.</summary>
    private static async Task<byte[]> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var buffer = await BoundedRead.ToEndAsync(stream, MaxResponseSize, response.Content.Headers.ContentLength, "response body", cancellationToken).ConfigureAwait(false);
            return buffer.Span.ToArray();
        }
        catch (PayloadTooLargeException)
        {
            return [];
        }
    }

    /// <summary>The message of a <c>google.rpc.Status</c> body, or the start of a body that is not one (a proxy's page).</summary>
    private static string ErrorMessage(byte[] content, bool json, bool protobuf)
    {
        if (content.Length == 0) return "";
        if (json || protobuf)
        {
            try
            {
                var status = json ? RpcStatus.ParseJson(content) : RpcStatus.ParseProtobuf(content);
                if (status.Message.Length > 0) return status.Message;
            }
            catch (Exception error) when (error is JsonException or InvalidProtocolBufferException)
            {
                // Not a Status after all: fall through to the raw text.
            }
        }
        var text = Encoding.UTF8.GetString(content, 0, Math.Min(content.Length, MaxErrorMessageLength));
        return new string(text.Where(c => !char.IsControl(c)).ToArray()).Trim();
    }

    /// <summary>Retry-After as seconds, or as a date from which the wait is counted from now.</summary>
    private TimeSpan? RetryAfter(RetryConditionHeaderValue? header)
    {
        if (header?.Delta is { } delta) return delta;
        if (header?.Date is { } date)
        {
            var wait = date - _time.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
        return null;
    }

    private static byte[] Gzip(byte[] body)
    {
        using var output = new MemoryStream(body.Length / 2 + 64);
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(body);
        }
        return output.ToArray();
    }
}
