using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Collector.Receivers.Otlp;

namespace Collector.Receivers.Tests.Otlp;

/// <summary>
/// A private CA, a server certificate for localhost/127.0.0.1 and client certificates, made for one test and
/// written as PEM files the way an operator would configure them.
/// </summary>
internal sealed class TestCertificates : IDisposable
{
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");

    private readonly TempDirectory _directory = new();

    public TestCertificates()
    {
        Ca = CreateCa("Collector Test CA");
        OtherCa = CreateCa("Unrelated CA");
        Server = Issue(Ca, "localhost", ServerAuthentication, server: true);
        Client = Issue(Ca, "sidecar", ClientAuthentication, server: false);
        StrangerClient = Issue(OtherCa, "stranger", ClientAuthentication, server: false);
        CaFile = Write("ca.pem", Ca.ExportCertificatePem());
        ServerCertFile = Write("server.pem", Server.ExportCertificatePem());
        ServerKeyFile = Write("server-key.pem", Server.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
    }

    public X509Certificate2 Ca { get; }

    public X509Certificate2 OtherCa { get; }

    public X509Certificate2 Server { get; }

    public X509Certificate2 Client { get; }

    public X509Certificate2 StrangerClient { get; }

    public string CaFile { get; }

    public string ServerCertFile { get; }

    public string ServerKeyFile { get; }

    public TlsServerOptions ServerOptions(bool mutual = false) => new()
    {
        CertFile = ServerCertFile,
        KeyFile = ServerKeyFile,
        ClientCaFile = mutual ? CaFile : "",
    };

    /// <summary>A handler that trusts only our CA, optionally presenting a client certificate.</summary>
    public SocketsHttpHandler Handler(X509Certificate2? clientCertificate = null)
    {
        var ssl = new SslClientAuthenticationOptions
        {
            CertificateChainPolicy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                RevocationMode = X509RevocationMode.NoCheck,
                CustomTrustStore = { Ca },
            },
        };
        if (clientCertificate is not null) ssl.ClientCertificates = new X509CertificateCollection { clientCertificate };
        return new SocketsHttpHandler { SslOptions = ssl };
    }

    public string Write(string name, string content)
    {
        var path = _directory.File(name);
        File.WriteAllText(path, content);
        return path;
    }

    private static X509Certificate2 CreateCa(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        // Outlives the certificates it issues, which CertificateRequest insists on.
        return request.CreateSelfSigned(now.AddMinutes(-10), now.AddDays(2));
    }

    private static X509Certificate2 Issue(X509Certificate2 ca, string name, Oid usage, bool server)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([usage], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        if (server)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddDnsName("localhost");
            names.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
        }
        var now = DateTimeOffset.UtcNow;
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var issued = request.Create(ca, now.AddMinutes(-5), now.AddDays(1), serial);
        return issued.CopyWithPrivateKey(key);
    }

    public void Dispose()
    {
        Ca.Dispose();
        OtherCa.Dispose();
        Server.Dispose();
        Client.Dispose();
        StrangerClient.Dispose();
        _directory.Dispose();
    }
}
