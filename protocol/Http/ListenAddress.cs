using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Collector.Protocol.Http;

/// <summary>
/// Where a server listens, written <c>host:port</c> as in the Collector: <c>localhost:13133</c>,
/// <c>127.0.0.1:9464</c>, <c>[::1]:8888</c>. <c>localhost</c> means the loopback interfaces only; an empty host
/// (<c>:9464</c>) means every interface, as Go's listeners take it, so only an explicit choice exposes a port.
/// </summary>
public readonly record struct ListenAddress(string Host, int Port)
{
    public bool IsLocalhost => Host.Equals("localhost", StringComparison.OrdinalIgnoreCase);

    public static bool TryParse(string? text, [NotNullWhen(true)] out ListenAddress? address, [NotNullWhen(false)] out string? error)
    {
        address = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "must not be empty; use host:port, e.g. localhost:9464";
            return false;
        }
        var colon = text.LastIndexOf(':');
        if (colon < 0)
        {
            error = $"\"{text}\" has no port; use host:port, e.g. localhost:9464";
            return false;
        }
        var host = text[..colon];
        if (host.StartsWith('[') && host.EndsWith(']')) host = host[1..^1];
        else if (host.Contains(':', StringComparison.Ordinal))
        {
            error = $"\"{text}\": write an IPv6 address in brackets, e.g. [::1]:9464";
            return false;
        }
        if (!int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            error = $"\"{text}\" has no valid port (0 to 65535)";
            return false;
        }
        address = new ListenAddress(host, port);
        error = null;
        return true;
    }

    public static ListenAddress Parse(string text) =>
        TryParse(text, out var address, out var error) ? address.Value : throw new FormatException(error);

    public override string ToString() => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
