using System.Net;
using System.Net.Sockets;
using Collector.Core.Components;
using Collector.Receivers.Otlp;
using Collector.Receivers.Tests.Support;

namespace Collector.Receivers.Tests.Otlp;

public class OtlpReceiverLifecycleTests
{
    [Fact]
    public async Task A_port_in_use_fails_the_start_naming_the_endpoint_and_frees_what_was_bound()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var taken = ((IPEndPoint)squatter.LocalEndpoint).Port;
        await using var fixture = new OtlpReceiverFixture();
        var options = OtlpReceiverFixture.BothProtocols();
        options.Protocols.Http!.Endpoint = $"127.0.0.1:{taken}";
        var receiver = fixture.Create(new CapturingConsumer(), options);

        var error = await Assert.ThrowsAsync<IOException>(() => receiver.StartAsync(fixture.Host, CancellationToken.None));

        Assert.Contains($"OTLP/http on 127.0.0.1:{taken}", error.Message, StringComparison.Ordinal);
        // The gRPC server, started first, was stopped again: its port accepts no connection.
        var grpcPort = receiver.GrpcEndpoints[0].Port;
        using var probe = new TcpClient();
        await Assert.ThrowsAsync<SocketException>(() => probe.ConnectAsync(IPAddress.Loopback, grpcPort));
    }

    [Fact]
    public async Task Shutdown_is_safe_without_start_and_twice_and_start_after_shutdown_binds_nothing()
    {
        await using var fixture = new OtlpReceiverFixture();
        var receiver = fixture.Create(new CapturingConsumer());

        await receiver.ShutdownAsync(CancellationToken.None);
        await receiver.ShutdownAsync(CancellationToken.None);
        await receiver.StartAsync(fixture.Host, CancellationToken.None);

        Assert.Empty(receiver.GrpcEndpoints);
        Assert.Empty(receiver.HttpEndpoints);
    }

    [Fact]
    public async Task Only_the_configured_protocol_listens()
    {
        await using var fixture = new OtlpReceiverFixture();
        var options = new OtlpReceiverOptions { Protocols = new ProtocolsOptions { Http = new HttpProtocolOptions { Endpoint = "127.0.0.1:0" } } };

        var receiver = await fixture.StartAsync(new CapturingConsumer(), options);

        Assert.Empty(receiver.GrpcEndpoints);
        Assert.Single(receiver.HttpEndpoints);
        Assert.Contains(fixture.Logs.Entries, e => e.Message.StartsWith("Listening for OTLP/http on 127.0.0.1:", StringComparison.Ordinal));
    }

    [Fact]
    public void The_factory_makes_an_otlp_receiver_with_no_protocol_until_one_is_configured()
    {
        var factory = new OtlpReceiverFactory();
        var options = (OtlpReceiverOptions)factory.CreateDefaultOptions();

        Assert.Equal("otlp", factory.Type);
        Assert.Equal(ComponentKind.Receiver, factory.Kind);
        Assert.Equal([new OptionsError("protocols", "must enable at least one protocol: grpc or http")], options.Validate());
        Assert.IsType<OtlpReceiver>(factory.CreateReceiver(Settings.For("otlp", ComponentKind.Receiver), OtlpReceiverFixture.BothProtocols(), new CapturingConsumer()));
    }
}
