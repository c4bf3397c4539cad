using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Http.Features;

namespace Collector.Protocol.Http.Server;

/// <summary>The peers of one connection (<c>HttpContext.Connection</c>), shared by the requests it carries.</summary>
internal sealed class ConnectionFeature(long number, IPEndPoint? local, IPEndPoint? remote) : IHttpConnectionFeature
{
    private string? _id;

    /// <summary>The connection's number in this server, in hex, made only when asked for.</summary>
    public string ConnectionId
    {
        get => _id ??= number.ToString("x", CultureInfo.InvariantCulture);
        set => _id = value;
    }

    public IPAddress? RemoteIpAddress { get; set; } = remote?.Address;

    public IPAddress? LocalIpAddress { get; set; } = local?.Address;

    public int RemotePort { get; set; } = remote?.Port ?? 0;

    public int LocalPort { get; set; } = local?.Port ?? 0;

    public override string ToString() => $"{ConnectionId} from {RemoteIpAddress}:{RemotePort}";
}
