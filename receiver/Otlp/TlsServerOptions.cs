using Collector.Core.Components;

namespace Collector.Receivers.Otlp;

/// <summary>Server-side TLS, with the Collector's configtls key names. Files are PEM.</summary>
public sealed class TlsServerOptions
{
    /// <summary>The server certificate, optionally followed by its intermediates.</summary>
    public string CertFile { get; set; } = "";

    public string KeyFile { get; set; } = "";

    /// <summary>When set, clients must present a certificate issued by one of these CAs (mutual TLS).</summary>
    public string ClientCaFile { get; set; } = "";

    /// <summary><c>1.2</c> or <c>1.3</c>. Older versions are refused: the platform no longer offers them.</summary>
    public string MinVersion { get; set; } = "1.2";

    internal IEnumerable<OptionsError> Validate(string key)
    {
        if (CertFile.Length == 0) yield return new OptionsError(key + "::cert_file", "is required when tls is set");
        if (KeyFile.Length == 0) yield return new OptionsError(key + "::key_file", "is required when tls is set");
        if (MinVersion is not ("1.2" or "1.3"))
        {
            yield return new OptionsError(key + "::min_version", $"\"{MinVersion}\" is not supported: use 1.2 or 1.3");
        }
    }
}
