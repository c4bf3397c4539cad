using Collector.Core.Components;
using Collector.Exporters.Sending;

namespace Collector.Exporters.Otlp;

/// <summary>Options of <c>otlp_http</c>: <c>endpoint</c> is a base URL; profiles go to <c>{endpoint}/v1development/profiles</c>.</summary>
public sealed class OtlpHttpExporterOptions : OtlpExporterOptions
{
    /// <summary>The OTLP/HTTP path for profiles; not <c>/v1/profiles</c>.</summary>
    public const string ProfilesPath = Protocol.Grpc.OtlpPaths.HttpProfiles;

    public OtlpHttpExporterOptions()
    {
        Timeout = TimeSpan.FromSeconds(30);
    }

    /// <summary>The full URL for profiles, instead of the one derived from <see cref="OtlpExporterOptions.Endpoint"/>.</summary>
    public string ProfilesEndpoint { get; set; } = "";

    public OtlpHttpEncoding Encoding { get; set; } = OtlpHttpEncoding.Proto;

    internal RequestEncoding RequestEncoding => Encoding == OtlpHttpEncoding.Json ? RequestEncoding.Json : RequestEncoding.Proto;

    /// <summary>Where profiles are posted: <see cref="ProfilesEndpoint"/>, or the endpoint with the profiles path appended.</summary>
    internal Uri? ProfilesUrl()
    {
        var text = ProfilesEndpoint.Length > 0 ? ProfilesEndpoint : Endpoint.TrimEnd('/') + ProfilesPath;
        return Uri.TryCreate(text, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps) ? url : null;
    }

    public override IEnumerable<OptionsError> Validate()
    {
        if (string.IsNullOrWhiteSpace(Endpoint) && string.IsNullOrWhiteSpace(ProfilesEndpoint))
        {
            yield return OptionsError.Required("endpoint");
        }
        else if (ProfilesUrl() is null)
        {
            var key = ProfilesEndpoint.Length > 0 ? "profiles_endpoint" : "endpoint";
            yield return new OptionsError(key, $"\"{(ProfilesEndpoint.Length > 0 ? ProfilesEndpoint : Endpoint)}\" is not an http:// or https:// URL");
        }
        if (!Enum.IsDefined(Encoding)) yield return new OptionsError("encoding", $"\"{Encoding}\" is not an encoding: use proto or json");
        foreach (var error in base.Validate()) yield return error;
    }

    private protected override bool IsReserved(string header) =>
        string.Equals(header, "content-type", StringComparison.OrdinalIgnoreCase)
        || string.Equals(header, "content-encoding", StringComparison.OrdinalIgnoreCase)
        || string.Equals(header, "content-length", StringComparison.OrdinalIgnoreCase);
}

/// <summary>The body format of <c>otlp_http</c>.</summary>
public enum OtlpHttpEncoding
{
    Proto,
    Json,
}
