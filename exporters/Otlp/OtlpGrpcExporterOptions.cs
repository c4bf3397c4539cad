using Collector.Core.Components;

namespace Collector.Exporters.Otlp;

/// <summary>Options of <c>otlp_grpc</c>: <c>endpoint</c> is <c>host:port</c>, optionally after <c>http://</c>, <c>https://</c> or <c>dns:///</c>.</summary>
public sealed class OtlpGrpcExporterOptions : OtlpExporterOptions
{
    private static readonly string[] Schemes = ["http://", "https://", "dns:///"];

    public override IEnumerable<OptionsError> Validate()
    {
        if (string.IsNullOrWhiteSpace(Endpoint))
        {
            yield return OptionsError.Required("endpoint");
        }
        else if (!TryParseEndpoint(out _, out _, out _))
        {
            yield return new OptionsError("endpoint", $"\"{Endpoint}\" is not host:port");
        }
        foreach (var error in base.Validate()) yield return error;
    }

    /// <summary>
    /// Host and port with any scheme prefix removed; <paramref name="useTls"/> unless <c>tls.insecure</c>,
    /// and always for <c>https://</c> (as the Collector's configgrpc does).
    /// </summary>
    internal bool TryParseEndpoint(out string host, out int port, out bool useTls)
    {
        var text = Endpoint.Trim();
        var https = text.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
        foreach (var scheme in Schemes)
        {
            if (text.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            {
                text = text[scheme.Length..];
                break;
            }
        }
        useTls = https || !Tls.Insecure;
        host = "";
        port = 0;
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
        {
            return false;
        }
        host = text[..colon];
        if (host.StartsWith('[') && host.EndsWith(']')) host = host[1..^1];
        return host.Length > 0 && !host.Contains('/', StringComparison.Ordinal);
    }

    private protected override bool IsReserved(string header) =>
        header.StartsWith("grpc-", StringComparison.OrdinalIgnoreCase) || header.StartsWith(':')
        || string.Equals(header, "content-type", StringComparison.OrdinalIgnoreCase)
        || string.Equals(header, "te", StringComparison.OrdinalIgnoreCase);
}
