using Collector.Core.Components;
using Collector.Receivers.Otlp;

namespace Collector.Receivers.Tests.Otlp;

public class OtlpReceiverOptionsTests
{
    [Fact]
    public void Defaults_are_the_collectors()
    {
        var grpc = new GrpcProtocolOptions();
        var http = new HttpProtocolOptions();

        Assert.Equal("localhost:4317", grpc.Endpoint);
        Assert.Equal(4, grpc.MaxRecvMsgSizeMib);
        Assert.Equal("localhost:4318", http.Endpoint);
        Assert.Equal(4 * 1024 * 1024, http.MaxRequestBodySize);
        Assert.Equal(64, new OtlpReceiverOptions().MaxConcurrentRequests);
        Assert.Equal("1.2", new TlsServerOptions().MinVersion);
        Assert.Empty(new OtlpReceiverOptions { Protocols = new ProtocolsOptions { Grpc = grpc, Http = http } }.Validate());
    }

    [Theory]
    [InlineData("localhost:4317", null)]
    [InlineData("0.0.0.0:4317", null)]
    [InlineData(":4317", null)]
    [InlineData("[::1]:0", null)]
    [InlineData("collector.example.com:4317", null)]
    [InlineData("localhost", "is not host:port")]
    [InlineData("localhost:http", "the port must be a number")]
    [InlineData("localhost:65536", "the port must be a number")]
    [InlineData("::1:4317", "needs brackets")]
    [InlineData("bad host:4317", "neither an IP address nor a host name")]
    public void Endpoints_are_host_and_port(string endpoint, string? problem)
    {
        var error = ListenEndpoint.Validate(endpoint);

        if (problem is null) Assert.Null(error);
        else Assert.Contains(problem, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_bad_value_is_reported_under_its_key()
    {
        var options = new OtlpReceiverOptions
        {
            MaxConcurrentRequests = 0,
            Protocols = new ProtocolsOptions
            {
                Grpc = new GrpcProtocolOptions { Endpoint = "nope", MaxRecvMsgSizeMib = 0, Tls = new TlsServerOptions { MinVersion = "1.1" }, Auth = new AuthOptions() },
                Http = new HttpProtocolOptions { MaxRequestBodySize = 0, Auth = new AuthOptions { Authenticator = "bad id/" } },
            },
        };

        var keys = options.Validate().Select(e => e.Key).ToList();

        Assert.Equal(
        [
            "protocols::grpc::endpoint", "protocols::grpc::max_recv_msg_size_mib", "protocols::grpc::tls::cert_file",
            "protocols::grpc::tls::key_file", "protocols::grpc::tls::min_version", "protocols::grpc::auth::authenticator",
            "protocols::http::max_request_body_size", "protocols::http::auth::authenticator", "max_concurrent_requests",
        ], keys);
    }
}
