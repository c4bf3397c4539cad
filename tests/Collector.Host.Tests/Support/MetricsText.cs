using System.Globalization;

namespace Collector.Host.Tests.Support;

/// <summary>Reads sample values out of a Prometheus text exposition.</summary>
public static class MetricsText
{
    /// <summary>
    /// The value of the sample named <paramref name="name"/> whose labels include every one of
    /// <paramref name="labels"/> (written <c>key="value"</c>), or null when there is none.
    /// </summary>
    public static double? Value(string text, string name, params string[] labels)
    {
        foreach (var line in Samples(text, name))
        {
            var brace = line.IndexOf('{', StringComparison.Ordinal);
            var labelText = brace < 0 ? "" : line[brace..line.LastIndexOf('}')];
            if (labels.All(l => labelText.Contains(l, StringComparison.Ordinal)))
            {
                return double.Parse(line[(line.LastIndexOf(' ') + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture);
            }
        }
        return null;
    }

    /// <summary>Every sample line of the metric (not its HELP/TYPE lines).</summary>
    public static IEnumerable<string> Samples(string text, string name) =>
        text.Split('\n').Where(line => line.StartsWith(name + "{", StringComparison.Ordinal) || line.StartsWith(name + " ", StringComparison.Ordinal));
}
