using System.Net;
using System.Net.Sockets;
using Collector.Protocol.Http;
using Collector.Protocol.Http.Server;
using Microsoft.Extensions.Logging.Abstractions;

namespace Collector.Protocol.Tests.Http.Server;

public class ListenSocketsTests
{
    [Fact]
    public async Task Localhost_listens_on_both_loopback_interfaces_under_one_url()
    {
        var port = FreePort();

        var bound = await ListenSockets.BindAsync(ListenAddress.Parse($"localhost:{port}"), NullLogger.Instance, CancellationToken.None);
        try
        {
            Assert.Equal([$"http://localhost:{port}"], bound.Urls);
            var expected = Socket.OSSupportsIPv6 ? new[] { IPAddress.Loopback, IPAddress.IPv6Loopback } : [IPAddress.Loopback];
            Assert.Equal(expected, bound.Sockets.Select(s => ((IPEndPoint)s.LocalEndPoint!).Address));
            Assert.All(bound.Sockets, s => Assert.Equal(port, ((IPEndPoint)s.LocalEndPoint!).Port));
        }
        finally
        {
            foreach (var socket in bound.Sockets) socket.Dispose();
        }
    }

    [Fact]
    public async Task Localhost_with_port_0_takes_a_port_on_ipv4_loopback()
    {
        var bound = await ListenSockets.BindAsync(ListenAddress.Parse("localhost:0"), NullLogger.Instance, CancellationToken.None);
        using var socket = Assert.Single(bound.Sockets);

        var endpoint = (IPEndPoint)socket.LocalEndPoint!;
        Assert.Equal(IPAddress.Loopback, endpoint.Address);
        Assert.Equal([$"http://127.0.0.1:{endpoint.Port}"], bound.Urls);
    }

    [Fact]
    public async Task An_empty_host_listens_on_every_interface_for_ipv4_and_ipv6()
    {
        var bound = await ListenSockets.BindAsync(ListenAddress.Parse(":0"), NullLogger.Instance, CancellationToken.None);
        using var socket = Assert.Single(bound.Sockets);
        var port = ((IPEndPoint)socket.LocalEndPoint!).Port;

        using var v4 = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await v4.ConnectAsync(IPAddress.Loopback, port);
        if (Socket.OSSupportsIPv6)
        {
            Assert.Equal([$"http://[::]:{port}"], bound.Urls);
            using var v6 = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp);
            await v6.ConnectAsync(IPAddress.IPv6Loopback, port);
        }
    }

    [Theory]
    [InlineData("127.0.0.1", "http://127.0.0.1:{0}")]
    [InlineData("[::1]", "http://[::1]:{0}")]
    public async Task An_ip_address_listens_there_only(string host, string url)
    {
        if (host.Contains(':', StringComparison.Ordinal) && !Socket.OSSupportsIPv6) return;
        var bound = await ListenSockets.BindAsync(ListenAddress.Parse($"{host}:0"), NullLogger.Instance, CancellationToken.None);
        using var socket = Assert.Single(bound.Sockets);

        Assert.Equal([string.Format(System.Globalization.CultureInfo.InvariantCulture, url, ((IPEndPoint)socket.LocalEndPoint!).Port)], bound.Urls);
    }

    [Fact]
    public async Task A_port_taken_on_either_loopback_interface_is_an_error()
    {
        if (!Socket.OSSupportsIPv6) return;
        var port = FreePort();
        using var taken = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp);
        taken.Bind(new IPEndPoint(IPAddress.IPv6Loopback, port));
        taken.Listen();

        var error = await Assert.ThrowsAsync<IOException>(() => ListenSockets.BindAsync(ListenAddress.Parse($"localhost:{port}"), NullLogger.Instance, CancellationToken.None));

        Assert.Equal(SocketError.AddressAlreadyInUse, Assert.IsType<SocketException>(error.InnerException).SocketErrorCode);
        // The IPv4 socket bound first was closed again: the port is free there.
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, port));
    }

    /// <summary>A port free on both loopback interfaces at the moment of asking.</summary>
    private static int FreePort()
    {
        for (var attempt = 0; ; attempt++)
        {
            using var v4 = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            v4.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)v4.LocalEndPoint!).Port;
            if (!Socket.OSSupportsIPv6) return port;
            try
            {
                using var v6 = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp);
                v6.Bind(new IPEndPoint(IPAddress.IPv6Loopback, port));
                return port;
            }
            catch (SocketException) when (attempt < 10)
            {
            }
        }
    }
}
