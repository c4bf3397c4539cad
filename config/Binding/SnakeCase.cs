using System.Text;

namespace Collector.Config.Binding;

/// <summary>
/// The YAML spelling of a C# name: <c>MaxMegabytes</c> → <c>max_megabytes</c>. A run of capitals is one word
/// (<c>HTTPEndpoint</c> → <c>http_endpoint</c>); digits stay with the word before them (<c>Http2Enabled</c> →
/// <c>http2_enabled</c>). Names that read badly this way take a <c>[ConfigKey]</c> instead.
/// </summary>
internal static class SnakeCase
{
    public static string From(string name)
    {
        var result = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                var previous = i > 0 ? name[i - 1] : '\0';
                var next = i + 1 < name.Length ? name[i + 1] : '\0';
                var startsWord = char.IsLower(previous) || char.IsDigit(previous) || (char.IsUpper(previous) && char.IsLower(next));
                if (i > 0 && startsWord && previous != '_')
                {
                    result.Append('_');
                }
                result.Append(char.ToLowerInvariant(c));
            }
            else
            {
                result.Append(c);
            }
        }
        return result.ToString();
    }
}
