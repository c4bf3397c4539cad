using System.Text;
using System.Text.RegularExpressions;
using Collector.Config.Errors;
using Collector.Config.Yaml;

namespace Collector.Config.Expansion;

/// <summary>
/// Expands environment references in scalar values (never in keys), following the Collector's rules:
/// <list type="bullet">
/// <item><c>${env:VAR}</c>, and <c>${VAR}</c> because <c>env</c> is the default scheme;</item>
/// <item><c>${env:VAR:-default}</c>: the default applies only when VAR is unset, a set-but-empty VAR gives "";</item>
/// <item><c>$$</c> is a literal <c>$</c>; a naked <c>$VAR</c> stays as written;</item>
/// <item>any other scheme (<c>file:</c>, <c>http:</c>...) and <c>${VAR:-x}</c> without <c>env:</c> are errors;</item>
/// <item>an unset VAR without default gives "" and a warning.</item>
/// </list>
/// The result is text; when a whole scalar was one reference, the binder then types it like any scalar, so
/// <c>port: ${env:PORT}</c> binds to an integer.
/// </summary>
internal sealed partial class EnvExpander(Func<string, string?> environment, ConfigErrors errors, List<string> warnings)
{
    private const string DefaultScheme = "env";
    private const string DefaultSeparator = ":-";

    [GeneratedRegex("^[a-zA-Z_][a-zA-Z0-9_]*$")]
    private static partial Regex VariableName();

    public MappingNode Expand(MappingNode root) => ExpandMapping(root, "");

    private ConfigNode ExpandNode(ConfigNode node, string path) => node switch
    {
        ScalarNode scalar => ExpandScalar(scalar, path),
        SequenceNode sequence => new SequenceNode(
            sequence.Location,
            sequence.Items.Select((item, i) => ExpandNode(item, ConfigPath.Combine(path, i))).ToList()),
        MappingNode mapping => ExpandMapping(mapping, path),
        _ => node,
    };

    private MappingNode ExpandMapping(MappingNode mapping, string path) => new(
        mapping.Location,
        mapping.Entries.Select(e => e with { Value = ExpandNode(e.Value, ConfigPath.Combine(path, e.Key)) }).ToList());

    private ScalarNode ExpandScalar(ScalarNode scalar, string path)
    {
        if (scalar.IsNull || !scalar.Value.Contains('$', StringComparison.Ordinal))
        {
            return scalar;
        }
        var text = scalar.Value;
        var result = new StringBuilder(text.Length);
        var failed = false;
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] != '$' || i + 1 == text.Length)
            {
                result.Append(text[i++]);
                continue;
            }
            if (text[i + 1] == '$')
            {
                result.Append('$');
                i += 2;
                continue;
            }
            var close = text[i + 1] == '{' ? text.IndexOf('}', i + 2) : -1;
            if (close < 0)
            {
                // A naked $VAR, or a "${" that is never closed, is ordinary text to the Collector too.
                result.Append(text[i++]);
                continue;
            }
            var reference = text[i..(close + 1)];
            var value = Resolve(text[(i + 2)..close], reference, scalar.Location, path);
            failed |= value is null;
            result.Append(value);
            i = close + 1;
        }
        return new ScalarNode(scalar.Location, failed ? scalar.Value : result.ToString(), isNull: false) { AlreadyReported = failed };
    }

    /// <summary>The value of one <c>${...}</c>, or null after reporting why it has none.</summary>
    private string? Resolve(string content, string reference, ConfigLocation location, string path)
    {
        var colon = content.IndexOf(':', StringComparison.Ordinal);
        var scheme = colon < 0 ? DefaultScheme : content[..colon];
        var rest = colon < 0 ? content : content[(colon + 1)..];
        if (!string.Equals(scheme, DefaultScheme, StringComparison.Ordinal))
        {
            var message = VariableName().IsMatch(scheme) && rest.StartsWith('-')
                ? $"\"{reference}\": a default without the env: scheme is not supported, write ${{env:{scheme}:{rest}}}"
                : $"\"{reference}\": the scheme \"{scheme}\" is not supported, only env: is";
            errors.Add(path, message, location);
            return null;
        }

        var separator = rest.IndexOf(DefaultSeparator, StringComparison.Ordinal);
        var name = separator < 0 ? rest : rest[..separator];
        if (!VariableName().IsMatch(name))
        {
            errors.Add(path, $"\"{reference}\": \"{name}\" is not a valid environment variable name", location);
            return null;
        }
        var value = environment(name);
        if (value is not null)
        {
            return value;
        }
        if (separator >= 0)
        {
            return rest[(separator + DefaultSeparator.Length)..];
        }
        warnings.Add($"{path}: environment variable {name} is not set, using an empty value ({location})");
        return "";
    }
}
