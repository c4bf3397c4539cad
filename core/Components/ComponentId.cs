using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Collector.Core.Components;

/// <summary>
/// Identifies a configured component as <c>type[/name]</c>, e.g. <c>file</c> or <c>otlp_grpc/backend</c>.
/// The type selects the factory; the optional name tells apart several instances of one type.
/// </summary>
public readonly partial record struct ComponentId(string Type, string Name)
{
    /// <summary>Same rule as the OpenTelemetry Collector: a letter, then up to 62 letters, digits or underscores.</summary>
    [GeneratedRegex("^[a-zA-Z][0-9a-zA-Z_]{0,62}$")]
    private static partial Regex TypePattern();

    /// <summary>Any non-empty text without spaces, control characters or symbols.</summary>
    [GeneratedRegex(@"^[^\p{Z}\p{C}\p{S}]+$")]
    private static partial Regex NamePattern();

    public static ComponentId Of(string type) => new(type, "");

    public static bool TryParse(string text, [NotNullWhen(true)] out ComponentId? id, [NotNullWhen(false)] out string? error)
    {
        id = null;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var type = slash < 0 ? text : text[..slash];
        var name = slash < 0 ? "" : text[(slash + 1)..];
        if (!TypePattern().IsMatch(type))
        {
            error = $"invalid component id \"{text}\": the type must start with a letter and hold only letters, digits and '_' (at most 63 characters)";
            return false;
        }
        if (slash >= 0 && !NamePattern().IsMatch(name))
        {
            error = $"invalid component id \"{text}\": the name after '/' must be non-empty and hold no spaces, control characters or symbols";
            return false;
        }
        id = new ComponentId(type, name);
        error = null;
        return true;
    }

    public static ComponentId Parse(string text) =>
        TryParse(text, out var id, out var error) ? id.Value : throw new FormatException(error);

    public override string ToString() => Name.Length == 0 ? Type : $"{Type}/{Name}";
}
