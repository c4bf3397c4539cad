using System.Security.Cryptography.X509Certificates;
using Collector.Core.Components;
using Collector.Exporters.Tests.Otlp.Support;

namespace Collector.Exporters.Tests.Otlp;

/// <summary>otlp_grpc over TLS (ALPN h2) with certificates made by the test: CA file, name override, skip-verify, mutual TLS.</summary>
public sealed class GrpcTlsTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly X509Certificate2 _authority = TestCertificates.CreateAuthority();

    public void Dispose()
    {
        _authority.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task A_server_signed_by_the_ca_file_is_trusted_and_receives_the_export()
    {
        using var certificate = TestCertificates.Issue(_authority, "localhost");
        await using var sink = await GrpcSink.StartAsync(certificate: certificate);
        var exporter = Exporter(sink, o => o.Tls.CaFile = CaFile());

        await exporter.ConsumeAsync(TestBatches.Known(), default);

        Records.AssertSelfContained(Assert.Single(sink.Received).Request);
        await exporter.ShutdownAsync(default);
    }

    [Fact]
    public async Task Server_name_override_checks_the_certificate_against_that_name()
    {
        using var certificate = TestCertificates.Issue(_authority, "backend.collector.test");
        await using var sink = await GrpcSink.StartAsync(certificate: certificate);
        var matching = Exporter(sink, o =>
        {
            o.Tls.CaFile = CaFile();
            o.Tls.ServerNameOverride = "backend.collector.test";
        });
        var mismatching = Exporter(sink, o =>
        {
            o.Tls.CaFile = CaFile();
            o.Tls.ServerNameOverride = "other.collector.test";
        });

        await matching.ConsumeAsync(TestBatches.Known(), default);
        await Assert.ThrowsAsync<RetryableException>(() => mismatching.ConsumeAsync(TestBatches.Known(), default).AsTask());

        var received = Assert.Single(sink.Received);
        Assert.Equal("backend.collector.test", received.Header("host"));
        await matching.ShutdownAsync(default);
        await mismatching.ShutdownAsync(default);
    }

    [Fact]
    public async Task A_certificate_from_an_unknown_ca_is_refused_unless_verification_is_skipped()
    {
        using var stranger = TestCertificates.CreateAuthority("someone else");
        using var certificate = TestCertificates.Issue(stranger, "localhost");
        await using var sink = await GrpcSink.StartAsync(certificate: certificate);
        var verifying = Exporter(sink, o => o.Tls.CaFile = CaFile());
        var skipping = Exporter(sink, o => o.Tls.InsecureSkipVerify = true);

        var error = await Assert.ThrowsAsync<RetryableException>(() => verifying.ConsumeAsync(TestBatches.Known(), default).AsTask());
        await skipping.ConsumeAsync(TestBatches.Known(), default);

        Assert.Contains("UNAVAILABLE", error.Message, StringComparison.Ordinal);
        Assert.Single(sink.Received);
        await verifying.ShutdownAsync(default);
        await skipping.ShutdownAsync(default);
    }

    [Fact]
    public async Task Mutual_tls_presents_the_client_certificate()
    {
        using var server = TestCertificates.Issue(_authority, "localhost");
        using var client = TestCertificates.Issue(_authority, "exporter", server: false);
        await using var sink = await GrpcSink.StartAsync(certificate: server, clientAuthority: _authority);
        TestCertificates.WritePem(client, _dir.File("client.pem"));
        TestCertificates.WriteKeyPem(client, _dir.File("client.key"));
        var withCertificate = Exporter(sink, o =>
        {
            o.Tls.CaFile = CaFile();
            o.Tls.CertFile = _dir.File("client.pem");
            o.Tls.KeyFile = _dir.File("client.key");
        });
        var withoutCertificate = Exporter(sink, o => o.Tls.CaFile = CaFile());

        await withCertificate.ConsumeAsync(TestBatches.Known(), default);
        await Assert.ThrowsAsync<RetryableException>(() => withoutCertificate.ConsumeAsync(TestBatches.Known(), default).AsTask());

        Assert.Single(sink.Received);
        await withCertificate.ShutdownAsync(default);
        await withoutCertificate.ShutdownAsync(default);
    }

    private string CaFile()
    {
        var path = _dir.File("ca.pem");
        if (!System.IO.File.Exists(path)) TestCertificates.WritePem(_authority, path);
        return path;
    }

    /// <summary>TLS on (insecure false), synchronous sends without retries, so each call shows its own outcome.</summary>
    private static Exporters.Otlp.OtlpExporter Exporter(GrpcSink sink, Action<Exporters.Otlp.OtlpGrpcExporterOptions> configure)
    {
        var exporter = TestExporters.Grpc(sink.Endpoint, o =>
        {
            o.Tls.Insecure = false;
            o.SendingQueue.Enabled = false;
            o.RetryOnFailure.Enabled = false;
            configure(o);
        });
        exporter.StartAsync(new TestHost(), default).GetAwaiter().GetResult();
        return exporter;
    }
}
