using Collector.Core.Components;
using Collector.Exporters.Sending;

namespace Collector.Exporters.Otlp;

/// <summary>
/// What <c>otlp_grpc</c> and <c>otlp_http</c> share; keys and defaults are the Collector's
/// (exporter/otlpexporter, configgrpc/confighttp, configretry, exporterhelper's queue).
/// </summary>
public abstract class OtlpExporterOptions : IComponentOptions
{
    public const string Gzip = "gzip";
    public const string NoCompression = "none";

    /// <summary>Where to send: <c>host:port</c> for gRPC, a base URL for HTTP. Required.</summary>
    public string Endpoint { get; set; } = "";

    public TlsClientOptions Tls { get; set; } = new();

    /// <summary>Sent with every request (for example an API key).</summary>
    public Dictionary<string, string> Headers { get; set; } = [];

    /// <summary><c>gzip</c> (default) or <c>none</c> (an empty value means none too).</summary>
    public string Compression { get; set; } = Gzip;

    /// <summary>How long one attempt may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    public RetryOnFailureOptions RetryOnFailure { get; set; } = new();

    public SendingQueueOptions SendingQueue { get; set; } = new();

    /// <summary>
    /// Uncompressed bytes above which an export is split into several self-contained requests (4 MiB, gRPC's
    /// default receive limit); 0 never splits.
    /// </summary>
    public int MaxRequestSize { get; set; } = 4 * 1024 * 1024;

    internal bool IsGzip => Compression == Gzip;

    public virtual IEnumerable<OptionsError> Validate()
    {
        if (Compression is not (Gzip or NoCompression or ""))
        {
            yield return new OptionsError("compression", $"\"{Compression}\" is not supported: use gzip or none");
        }
        if (Timeout <= TimeSpan.Zero) yield return new OptionsError("timeout", "must be greater than zero");
        if (MaxRequestSize < 0) yield return new OptionsError("max_request_size", "must not be negative (0 never splits)");
        if (Tls.CertFile.Length > 0 != Tls.KeyFile.Length > 0)
        {
            yield return new OptionsError("tls", "cert_file and key_file go together: give both or neither");
        }
        foreach (var name in Headers.Keys.Where(IsReserved))
        {
            yield return new OptionsError("headers::" + name, "is set by the exporter itself and cannot be overridden");
        }
        foreach (var error in RetryOnFailure.Validate("retry_on_failure::")) yield return error;
        foreach (var error in SendingQueue.Validate("sending_queue::")) yield return error;
    }

    /// <summary>Headers the protocol owns; a user value would break the request.</summary>
    private protected abstract bool IsReserved(string header);
}
