using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Collector.Exporters.Otlp;

/// <summary>
/// The HTTP handler behind both OTLP exporters, with the <c>tls</c> settings applied: a CA file replaces the
/// system's trust store (as configtls's <c>ca_file</c> does), a client certificate enables mutual TLS, and
/// <c>insecure_skip_verify</c> accepts any certificate. Host names are still checked against the CA-verified
/// chain, and against <c>server_name_override</c> when set (the exporters send it as the Host/authority, which
/// the handler also uses for SNI and the name check).
/// </summary>
internal static class ClientHandlerFactory
{
    public static SocketsHttpHandler Create(TlsClientOptions tls, bool http2Only)
    {
        var handler = new SocketsHttpHandler
        {
            // Ten consumers share a connection's streams; past the server's stream limit, open another.
            EnableMultipleHttp2Connections = true,
            // Reconnecting now and then lets a load balancer or DNS change take effect.
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AutomaticDecompression = System.Net.DecompressionMethods.GZip,
            UseCookies = false,
            AllowAutoRedirect = false,
        };
        var ssl = new SslClientAuthenticationOptions
        {
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        };
        if (http2Only) ssl.ApplicationProtocols = [SslApplicationProtocol.Http2];
        if (tls.CertFile.Length > 0)
        {
            ssl.ClientCertificates = [LoadClientCertificate(tls.CertFile, tls.KeyFile)];
        }
        if (tls.InsecureSkipVerify)
        {
            ssl.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
        }
        else if (tls.CaFile.Length > 0)
        {
            var authorities = new X509Certificate2Collection();
            authorities.ImportFromPemFile(tls.CaFile);
            ssl.RemoteCertificateValidationCallback = (_, certificate, _, errors) => IsTrusted(certificate, errors, authorities);
        }
        handler.SslOptions = ssl;
        return handler;
    }

    /// <summary>The chain must lead to one of <paramref name="authorities"/>, and the name must match.</summary>
    private static bool IsTrusted(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2Collection authorities)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return false;
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var server = new X509Certificate2(certificate);
        return chain.Build(server);
    }

    private static X509Certificate2 LoadClientCertificate(string certFile, string keyFile)
    {
        // Round-trip through PKCS#12: SslStream wants a certificate whose private key is not ephemeral.
        using var pem = X509Certificate2.CreateFromPemFile(certFile, keyFile);
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }
}
