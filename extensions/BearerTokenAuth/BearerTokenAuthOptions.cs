using Collector.Core.Components;

namespace Collector.Extensions.BearerTokenAuth;

/// <summary>Options of the <c>bearertokenauth</c> extension: the token itself, or a file holding it.</summary>
public sealed class BearerTokenAuthOptions : IComponentOptions
{
    public string Token { get; set; } = "";

    /// <summary>A file whose content (trimmed) is the token; re-read when it changes, so tokens can rotate.</summary>
    public string Filename { get; set; } = "";

    /// <summary>Expected before the token in the authorization header; empty means the header is the bare token.</summary>
    public string Scheme { get; set; } = "Bearer";

    public IEnumerable<OptionsError> Validate()
    {
        if (Token.Length == 0 && Filename.Length == 0)
        {
            yield return new OptionsError(null, "either token or filename is required");
        }
        else if (Token.Length > 0 && Filename.Length > 0)
        {
            yield return new OptionsError(null, "token and filename are mutually exclusive");
        }
        if (Scheme.Any(char.IsWhiteSpace))
        {
            yield return new OptionsError("scheme", "must not contain spaces");
        }
    }
}
