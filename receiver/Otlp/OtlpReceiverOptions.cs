using Collector.Core.Components;

namespace Collector.Receivers.Otlp;

/// <summary>
/// Options of the <c>otlp</c> receiver, as the OpenTelemetry Collector spells them. A protocol is served when
/// its key is present (<c>protocols: {grpc: {}, http: {}}</c>); at least one must be.
/// </summary>
public sealed class OtlpReceiverOptions : IComponentOptions
{
    public ProtocolsOptions Protocols { get; set; } = new();

    /// <summary>
    /// Requests being decoded or pushed downstream at once, over both protocols. Beyond that a request is
    /// answered UNAVAILABLE / 503 at once (the client retries later) rather than queued without bound; with the
    /// message size limit this caps the memory requests in flight can hold.
    /// </summary>
    public int MaxConcurrentRequests { get; set; } = 64;

    public IEnumerable<OptionsError> Validate()
    {
        if (Protocols.Grpc is null && Protocols.Http is null)
        {
            yield return new OptionsError("protocols", "must enable at least one protocol: grpc or http");
        }
        if (Protocols.Grpc is { } grpc)
        {
            foreach (var error in grpc.Validate("protocols::grpc")) yield return error;
        }
        if (Protocols.Http is { } http)
        {
            foreach (var error in http.Validate("protocols::http")) yield return error;
        }
        if (MaxConcurrentRequests < 1)
        {
            yield return new OptionsError("max_concurrent_requests", "must be at least 1");
        }
    }
}

public sealed class ProtocolsOptions
{
    public GrpcProtocolOptions? Grpc { get; set; }

    public HttpProtocolOptions? Http { get; set; }
}

/// <summary>OTLP/gRPC: <c>ProfilesService/Export</c> over HTTP/2.</summary>
public sealed class GrpcProtocolOptions
{
    public const string DefaultEndpoint = "localhost:4317";

    /// <summary><c>host:port</c>; an empty host listens on every interface.</summary>
    public string Endpoint { get; set; } = DefaultEndpoint;

    /// <summary>The largest request message, in MiB, before and after decompression (grpc-go's default is 4).</summary>
    public int MaxRecvMsgSizeMib { get; set; } = 4;

    /// <summary>Present: TLS (ALPN h2); absent: cleartext HTTP/2 with prior knowledge (h2c).</summary>
    public TlsServerOptions? Tls { get; set; }

    public AuthOptions? Auth { get; set; }

    internal int MaxMessageBytes => (int)Math.Min((long)MaxRecvMsgSizeMib * 1024 * 1024, int.MaxValue);

    internal IEnumerable<OptionsError> Validate(string key)
    {
        if (ListenEndpoint.Validate(Endpoint) is { } endpointError) yield return new OptionsError(key + "::endpoint", endpointError);
        // Above 2047 MiB a message no longer fits one array.
        if (MaxRecvMsgSizeMib is < 1 or > 2047) yield return new OptionsError(key + "::max_recv_msg_size_mib", "must be between 1 and 2047");
        if (Tls is not null)
        {
            foreach (var error in Tls.Validate(key + "::tls")) yield return error;
        }
        if (Auth is not null)
        {
            foreach (var error in Auth.Validate(key + "::auth")) yield return error;
        }
    }
}

/// <summary>OTLP/HTTP: POST <c>/v1development/profiles</c>, protobuf or JSON.</summary>
public sealed class HttpProtocolOptions
{
    public const string DefaultEndpoint = "localhost:4318";

    public string Endpoint { get; set; } = DefaultEndpoint;

    /// <summary>
    /// The largest request body in bytes, compressed and again after decompression. 4 MiB like the gRPC
    /// limit (the Collector's own default is 20 MiB).
    /// </summary>
    public long MaxRequestBodySize { get; set; } = 4 * 1024 * 1024;

    public TlsServerOptions? Tls { get; set; }

    public AuthOptions? Auth { get; set; }

    internal int MaxBodyBytes => (int)Math.Min(MaxRequestBodySize, int.MaxValue);

    internal IEnumerable<OptionsError> Validate(string key)
    {
        if (ListenEndpoint.Validate(Endpoint) is { } endpointError) yield return new OptionsError(key + "::endpoint", endpointError);
        if (MaxRequestBodySize is < 1 or > int.MaxValue) yield return new OptionsError(key + "::max_request_body_size", $"must be between 1 and {int.MaxValue} bytes");
        if (Tls is not null)
        {
            foreach (var error in Tls.Validate(key + "::tls")) yield return error;
        }
        if (Auth is not null)
        {
            foreach (var error in Auth.Validate(key + "::auth")) yield return error;
        }
    }
}

/// <summary>Names the extension that checks each request's credentials.</summary>
public sealed class AuthOptions
{
    /// <summary>Component id of an extension listed in <c>service.extensions</c>, e.g. <c>bearertokenauth</c>.</summary>
    public string Authenticator { get; set; } = "";

    internal IEnumerable<OptionsError> Validate(string key)
    {
        if (Authenticator.Length == 0)
        {
            yield return new OptionsError(key + "::authenticator", "is required");
        }
        else if (!ComponentId.TryParse(Authenticator, out _, out var error))
        {
            yield return new OptionsError(key + "::authenticator", error);
        }
    }
}
