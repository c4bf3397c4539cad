using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Collector.Receivers.Otlp;

/// <summary>
/// Turns <see cref="TlsServerOptions"/> into Kestrel's HTTPS options: the certificate and its chain from PEM
/// files, the minimum protocol version, and for mutual TLS a client certificate that must chain to one of
/// the configured CAs (and to nothing in the system store: a public CA must not open the door).
/// </summary>
internal sealed class ServerTls : IDisposable
{
    // id-kp-clientAuth: a client certificate restricted to other uses must not be accepted.
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");

    private readonly X509Certificate2 _certificate;
    private readonly X509Certificate2Collection _intermediates;
    private readonly X509Certificate2Collection? _clientCas;
    private readonly SslProtocols _protocols;

    private ServerTls(X509Certificate2 certificate, X509Certificate2Collection intermediates, X509Certificate2Collection? clientCas, SslProtocols protocols)
    {
        _certificate = certificate;
        _intermediates = intermediates;
        _clientCas = clientCas;
        _protocols = protocols;
    }

    public bool IsMutual => _clientCas is not null;

    /// <summary>Reads the files; throws with the file named when one is missing or not PEM.</summary>
    public static ServerTls Load(TlsServerOptions options)
    {
        X509Certificate2 certificate;
        var intermediates = new X509Certificate2Collection();
        try
        {
            certificate = X509Certificate2.CreateFromPemFile(options.CertFile, options.KeyFile);
            intermediates.ImportFromPemFile(options.CertFile);
            // The first certificate in the file is the server's own; the rest are its chain.
            if (intermediates.Count > 0) intermediates.RemoveAt(0);
        }
        catch (Exception error) when (error is IOException or CryptographicException or UnauthorizedAccessException or ArgumentException)
        {
            throw new InvalidOperationException($"cannot load the TLS certificate {options.CertFile} with key {options.KeyFile}: {error.Message}", error);
        }
        X509Certificate2Collection? clientCas = null;
        if (options.ClientCaFile.Length > 0)
        {
            clientCas = new X509Certificate2Collection();
            try
            {
                clientCas.ImportFromPemFile(options.ClientCaFile);
            }
            catch (Exception error) when (error is IOException or CryptographicException or UnauthorizedAccessException)
            {
                throw new InvalidOperationException($"cannot load the client CA file {options.ClientCaFile}: {error.Message}", error);
            }
            if (clientCas.Count == 0) throw new InvalidOperationException($"the client CA file {options.ClientCaFile} holds no certificate");
        }
        var protocols = options.MinVersion == "1.3" ? SslProtocols.Tls13 : SslProtocols.Tls12 | SslProtocols.Tls13;
        return new ServerTls(certificate, intermediates, clientCas, protocols);
    }

    public HttpsConnectionAdapterOptions HttpsOptions() => new()
    {
        ServerCertificate = _certificate,
        ServerCertificateChain = _intermediates.Count > 0 ? _intermediates : null,
        SslProtocols = _protocols,
        ClientCertificateMode = _clientCas is null ? ClientCertificateMode.NoCertificate : ClientCertificateMode.RequireCertificate,
        ClientCertificateValidation = _clientCas is null ? null : (certificate, presentedChain, _) => IsTrustedClient(certificate, presentedChain),
        HandshakeTimeout = TimeSpan.FromSeconds(10),
    };

    private bool IsTrustedClient(X509Certificate2 certificate, X509Chain? presentedChain)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_clientCas!);
        // Revocation lists are not configured for private CAs, and fetching them would stall handshakes.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(ClientAuthentication);
        if (presentedChain is not null)
        {
            // Intermediates the client sent along help build the path; they are not trusted by themselves.
            foreach (var element in presentedChain.ChainElements) chain.ChainPolicy.ExtraStore.Add(element.Certificate);
        }
        return chain.Build(certificate);
    }

    public void Dispose()
    {
        _certificate.Dispose();
        foreach (var certificate in _intermediates) certificate.Dispose();
        if (_clientCas is not null)
        {
            foreach (var certificate in _clientCas) certificate.Dispose();
        }
    }
}
