namespace Collector.Exporters.Otlp;

/// <summary>
/// <c>tls</c> of an OTLP exporter, as the Collector's <c>configtls.ClientConfig</c>. For <c>otlp_grpc</c> TLS is on
/// unless <see cref="Insecure"/>; for <c>otlp_http</c> the URL scheme decides and these settings shape https.
/// </summary>
public sealed class TlsClientOptions
{
    /// <summary>gRPC only: plaintext HTTP/2 (h2c) instead of TLS.</summary>
    public bool Insecure { get; set; }

    /// <summary>PEM file of the CA certificates that may sign the server's certificate, instead of the system's.</summary>
    public string CaFile { get; set; } = "";

    /// <summary>PEM client certificate for mutual TLS; needs <see cref="KeyFile"/>.</summary>
    public string CertFile { get; set; } = "";

    public string KeyFile { get; set; } = "";

    /// <summary>Accept any server certificate. For tests against self-signed servers only.</summary>
    public bool InsecureSkipVerify { get; set; }

    /// <summary>The name expected in the server's certificate (and sent as SNI and authority) instead of the endpoint's host.</summary>
    public string ServerNameOverride { get; set; } = "";
}
