using System.Globalization;
using System.Net;

namespace Collector.Receivers.Otlp;

/// <summary>
/// A listen address in the Collector's <c>host:port</c> form: <c>localhost:4317</c>, <c>0.0.0.0:4317</c>,
/// <c>[::1]:4317</c>, <c>:4317</c> (every interface), or a host name resolved when the receiver starts.
/// </summary>
internal sealed record ListenEndpoint(string Host, int Port)
{
    /// <summary>The problem with <paramref name="endpoint"/>, or null when it can be listened on.</summary>
    public static string? Validate(string endpoint) => TryParse(endpoint, out _, out var error) ? null : error;

    public static ListenEndpoint Parse(string endpoint) =>
        TryParse(endpoint, out var parsed, out var error) ? parsed : throw new FormatException(error);

    public static bool TryParse(string endpoint, out ListenEndpoint parsed, out string error)
    {
        parsed = new ListenEndpoint("", 0);
        var colon = endpoint.LastIndexOf(':');
        if (colon < 0)
        {
            error = $"\"{endpoint}\" is not host:port";
            return false;
        }
        var host = endpoint[..colon];
        if (host.StartsWith('[') && host.EndsWith(']')) host = host[1..^1];
        else if (host.Contains(':', StringComparison.Ordinal))
        {
            error = $"\"{endpoint}\": an IPv6 address needs brackets, as in [::1]:4317";
            return false;
        }
        if (!int.TryParse(endpoint.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            error = $"\"{endpoint}\": the port must be a number from 0 to 65535";
            return false;
        }
        if (host.Length > 0 && !IPAddress.TryParse(host, out _) && Uri.CheckHostName(host) != UriHostNameType.Dns)
        {
            error = $"\"{endpoint}\": \"{host}\" is neither an IP address nor a host name";
            return false;
        }
        parsed = new ListenEndpoint(host, port);
        error = "";
        return true;
    }

    public bool IsLocalhost => string.Equals(Host, "localhost", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The addresses to bind. Null means every interface (Kestrel's dual-stack "any"). <c>localhost</c> with a
    /// fixed port is better left to Kestrel's ListenLocalhost, which binds both loopbacks and tolerates a host
    /// without IPv6; here it is IPv4 loopback only, which is what port 0 needs (two sockets could not share
    /// one ephemeral port).
    /// </summary>
    public async Task<IReadOnlyList<IPAddress>?> ResolveAsync(CancellationToken cancellationToken)
    {
        if (Host.Length == 0) return null;
        if (IPAddress.TryParse(Host, out var address)) return [address];
        if (IsLocalhost) return [IPAddress.Loopback];
        var addresses = await Dns.GetHostAddressesAsync(Host, cancellationToken).ConfigureAwait(false);
        if (addresses.Length == 0) throw new IOException($"host name \"{Host}\" resolves to no address");
        return addresses.Distinct().ToArray();
    }

    public override string ToString() => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
