using System.Net;
using System.Security.Authentication;
using Collector.Protocol.Grpc;
using Collector.Receivers.Otlp;
using Collector.Receivers.Tests.Support;

namespace Collector.Receivers.Tests.Otlp;

public sealed class OtlpReceiverTlsTests : IDisposable
{
    private readonly TestCertificates _certificates = new();

    [Fact]
    public async Task Both_protocols_serve_over_tls_with_http2_negotiated_by_alpn()
    {
        await using var fixture = new OtlpReceiverFixture();
        var consumer = new CapturingConsumer();
        var receiver = await fixture.StartAsync(consumer, Options(mutual: false));
        var message = OtlpReceiverFixture.Proto(TestBatches.Simple(2));

        var grpc = await GrpcTestClient.ExportAsync(fixture.GrpcClient(_certificates.Handler()), OtlpReceiverFixture.GrpcUri(receiver, "https"), message);
        using var http11 = await OtlpHttpReceiverTests.PostAsync(fixture, receiver, message, "application/x-protobuf",
            client: fixture.HttpClient(_certificates.Handler()), scheme: "https");
        using var http2 = await OtlpHttpReceiverTests.PostAsync(fixture, receiver, message, "application/x-protobuf",
            client: fixture.HttpClient(_certificates.Handler(), HttpVersion.Version20), scheme: "https");

        Assert.Equal(GrpcStatusCode.OK, grpc.Code);
        Assert.Equal(HttpVersion.Version20, grpc.Response.Version);
        Assert.Equal(HttpStatusCode.OK, http11.StatusCode);
        Assert.Equal(HttpVersion.Version11, http11.Version);
        Assert.Equal(HttpStatusCode.OK, http2.StatusCode);
        Assert.Equal(HttpVersion.Version20, http2.Version);
        Assert.Equal(3, consumer.Calls);
    }

    [Fact]
    public async Task Grpc_over_http11_negotiated_on_tls_is_told_to_use_http2()
    {
        await using var fixture = new OtlpReceiverFixture();
        var consumer = new CapturingConsumer();
        var receiver = await fixture.StartAsync(consumer, Options(mutual: false));

        var reply = await GrpcTestClient.ExportAsync(fixture.HttpClient(_certificates.Handler()), OtlpReceiverFixture.GrpcUri(receiver, "https"),
            OtlpReceiverFixture.Proto(TestBatches.Simple(1)));

        Assert.Equal(HttpVersion.Version11, reply.Response.Version);
        Assert.Equal(HttpStatusCode.UpgradeRequired, reply.Http);
        Assert.Equal(GrpcStatusCode.Internal, reply.Code);
        Assert.Contains("HTTP/1.1", reply.Message, StringComparison.Ordinal);
        Assert.Equal(0, consumer.Calls);
    }

    [Fact]
    public async Task A_client_that_does_not_trust_the_server_certificate_cannot_connect()
    {
        await using var fixture = new OtlpReceiverFixture();
        var receiver = await fixture.StartAsync(new CapturingConsumer(), Options(mutual: false));

        var error = await Assert.ThrowsAsync<HttpRequestException>(() =>
            GrpcTestClient.ExportAsync(fixture.GrpcClient(), OtlpReceiverFixture.GrpcUri(receiver, "https"), []));

        Assert.IsType<AuthenticationException>(error.InnerException);
    }

    [Fact]
    public async Task Mutual_tls_admits_only_clients_with_a_certificate_from_the_configured_ca()
    {
        await using var fixture = new OtlpReceiverFixture();
        var consumer = new CapturingConsumer();
        var receiver = await fixture.StartAsync(consumer, Options(mutual: true));
        var uri = OtlpReceiverFixture.GrpcUri(receiver, "https");
        var message = OtlpReceiverFixture.Proto(TestBatches.Simple(1));

        var admitted = await GrpcTestClient.ExportAsync(fixture.GrpcClient(_certificates.Handler(_certificates.Client)), uri, message);
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => GrpcTestClient.ExportAsync(fixture.GrpcClient(_certificates.Handler()), uri, message));
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => GrpcTestClient.ExportAsync(fixture.GrpcClient(_certificates.Handler(_certificates.StrangerClient)), uri, message));
        // A server certificate is not a client certificate, even from the right CA.
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => GrpcTestClient.ExportAsync(fixture.GrpcClient(_certificates.Handler(_certificates.Server)), uri, message));

        Assert.Equal(GrpcStatusCode.OK, admitted.Code);
        Assert.Equal(1, consumer.Calls);
    }

    [Fact]
    public async Task Missing_or_unreadable_certificate_files_fail_the_start_naming_the_file()
    {
        await using var fixture = new OtlpReceiverFixture();
        var missing = Options(mutual: false);
        missing.Protocols.Grpc!.Tls!.CertFile = "/nonexistent/server.pem";
        var garbage = Options(mutual: true);
        garbage.Protocols.Grpc!.Tls!.ClientCaFile = _certificates.Write("empty-ca.pem", "not a certificate\n");

        var missingError = await Assert.ThrowsAsync<InvalidOperationException>(() => fixture.Create(new CapturingConsumer(), missing).StartAsync(fixture.Host, CancellationToken.None));
        var garbageError = await Assert.ThrowsAsync<InvalidOperationException>(() => fixture.Create(new CapturingConsumer(), garbage).StartAsync(fixture.Host, CancellationToken.None));

        Assert.Contains("/nonexistent/server.pem", missingError.Message, StringComparison.Ordinal);
        Assert.Contains("empty-ca.pem holds no certificate", garbageError.Message, StringComparison.Ordinal);
    }

    private OtlpReceiverOptions Options(bool mutual)
    {
        var options = OtlpReceiverFixture.BothProtocols();
        options.Protocols.Grpc!.Tls = _certificates.ServerOptions(mutual);
        options.Protocols.Http!.Tls = _certificates.ServerOptions(mutual);
        return options;
    }

    public void Dispose() => _certificates.Dispose();
}
