using System.Net;
using System.Net.Sockets;

namespace Collector.Exporters.Tests.Otlp.Support;

/// <summary>A loopback port nobody listens on (yet): a backend that is down, to be started there later.</summary>
public static class FreePort
{
    public static int Next()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
