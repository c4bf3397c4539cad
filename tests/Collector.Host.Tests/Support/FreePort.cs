using System.Net;
using System.Net.Sockets;

namespace Collector.Host.Tests.Support;

/// <summary>A loopback port nobody listens on right now, so tests never use (or collide on) the default ports.</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
