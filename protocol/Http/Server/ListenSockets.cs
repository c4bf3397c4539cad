using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Collector.Protocol.Http.Server;

/// <summary>
/// Opens the listening sockets for a <see cref="ListenAddress"/> as the config documents it: <c>localhost</c> is
/// the loopback interfaces (127.0.0.1, and [::1] where the host has IPv6; port 0 picks a port on 127.0.0.1
/// alone, since one free port cannot be promised on two interfaces), an empty host every interface
/// (dual-stack IPv6 where available), else an IP literal or every address a host name resolves to.
/// A bind that fails throws an <see cref="IOException"/> naming the address, with the
/// <see cref="SocketException"/> inside (a port in use: <see cref="SocketError.AddressAlreadyInUse"/>).
/// </summary>
internal static class ListenSockets
{
    /// <summary>Scrapers and probes connect one at a time; a short queue is plenty.</summary>
    private const int Backlog = 128;

    /// <summary>The sockets listening, and the URLs to report for them (one for the two loopback sockets of <c>localhost</c>).</summary>
    public sealed record Bound(IReadOnlyList<Socket> Sockets, IReadOnlyList<string> Urls);

    public static async Task<Bound> BindAsync(ListenAddress address, ILogger logger, CancellationToken cancellationToken)
    {
        if (address.IsLocalhost)
        {
            return address.Port == 0 ? One(Bind(new IPEndPoint(IPAddress.Loopback, 0))) : BindLoopback(address.Port, logger);
        }
        if (address.Host.Length == 0) return BindAny(address.Port);
        var ips = IPAddress.TryParse(address.Host, out var ip)
            ? [ip]
            : (await Dns.GetHostAddressesAsync(address.Host, cancellationToken).ConfigureAwait(false)).Distinct().ToArray();
        if (ips.Length == 0) throw new IOException($"Cannot listen on {address}: {address.Host} resolves to no address");
        var sockets = new List<Socket>(ips.Length);
        try
        {
            foreach (var each in ips) sockets.Add(Bind(new IPEndPoint(each, address.Port)));
        }
        catch
        {
            foreach (var socket in sockets) socket.Dispose();
            throw;
        }
        return new Bound(sockets, [.. sockets.Select(s => Url(s.LocalEndPoint!))]);
    }

    /// <summary>
    /// Both loopback interfaces, so that a client resolving <c>localhost</c> to either finds the server. The port
    /// taken on either is an error; an interface the host lacks (no IPv6) is only logged.
    /// </summary>
    private static Bound BindLoopback(int port, ILogger logger)
    {
        var sockets = new List<Socket>(2);
        IOException? failure = null;
        IPAddress[] loopbacks = Socket.OSSupportsIPv6 ? [IPAddress.Loopback, IPAddress.IPv6Loopback] : [IPAddress.Loopback];
        foreach (var loopback in loopbacks)
        {
            try
            {
                sockets.Add(Bind(new IPEndPoint(loopback, port)));
            }
            catch (IOException error) when (!IsInUse(error))
            {
                HttpServerLog.AddressSkipped(logger, Url(new IPEndPoint(loopback, port)), error.InnerException?.Message ?? error.Message);
                failure ??= error;
            }
            catch
            {
                foreach (var socket in sockets) socket.Dispose();
                throw;
            }
        }
        if (sockets.Count == 0) throw failure!;
        return new Bound(sockets, [$"http://localhost:{port}"]);
    }

    /// <summary>Every interface: IPv6's any-address in dual mode takes IPv4 too; without IPv6, IPv4's.</summary>
    private static Bound BindAny(int port)
    {
        if (Socket.OSSupportsIPv6)
        {
            try
            {
                return One(Bind(new IPEndPoint(IPAddress.IPv6Any, port)));
            }
            catch (IOException error) when (error.InnerException is SocketException { SocketErrorCode: SocketError.AddressFamilyNotSupported or SocketError.AddressNotAvailable })
            {
                // IPv6 is compiled in but not configured: fall back to IPv4.
            }
        }
        return One(Bind(new IPEndPoint(IPAddress.Any, port)));
    }

    private static Socket Bind(IPEndPoint endpoint)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (endpoint.Address.Equals(IPAddress.IPv6Any)) socket.DualMode = true;
            socket.Bind(endpoint);
            socket.Listen(Backlog);
            return socket;
        }
        catch (SocketException error)
        {
            socket.Dispose();
            throw new IOException($"Cannot listen on {Url(endpoint)}: {error.Message}", error);
        }
    }

    private static bool IsInUse(IOException error) => error.InnerException is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse };

    private static Bound One(Socket socket) => new([socket], [Url(socket.LocalEndPoint!)]);

    private static string Url(EndPoint endpoint) => $"http://{endpoint}";
}
