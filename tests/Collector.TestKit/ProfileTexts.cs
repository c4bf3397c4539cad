using System.Globalization;
using System.Text.RegularExpressions;

namespace Collector.TestKit;

/// <summary>Reads the debug exporter's top-functions lines and folded stacks into self weight per function, to compare them.</summary>
public static partial class ProfileTexts
{
    /// <summary>Self weight per function from every <c>weight percent name</c> line the debug exporter printed, summed over reports.</summary>
    public static Dictionary<string, long> DebugTopFunctions(string stdout)
    {
        var weights = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (Match match in TopLine().Matches(stdout))
        {
            var name = match.Groups[2].Value;
            weights[name] = weights.GetValueOrDefault(name) + long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        }
        return weights;
    }

    /// <summary>The sum of the debug exporter's <c>(total N)</c> over every report it printed.</summary>
    public static long DebugTotal(string stdout) =>
        TotalLine().Matches(stdout).Sum(match => long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture));

    /// <summary>
    /// Self weight per leaf frame of folded lines, named as the debug exporter names it: <c>x_[k]</c> is
    /// <c>[kernel] x</c>, <c>[no frames]</c> is <c>&lt;no frames&gt;</c>.
    /// </summary>
    public static Dictionary<string, long> FoldedLeafWeights(string folded)
    {
        var weights = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in folded.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var space = line.LastIndexOf(' ');
            var leaf = line[..space].Split(';')[^1];
            if (leaf.EndsWith("_[k]", StringComparison.Ordinal)) leaf = "[kernel] " + leaf[..^4];
            if (leaf == "[no frames]") leaf = "<no frames>";
            weights[leaf] = weights.GetValueOrDefault(leaf) + long.Parse(line[(space + 1)..], CultureInfo.InvariantCulture);
        }
        return weights;
    }

    [GeneratedRegex(@"^\s+(\d+)\s+[\d.]+%  (.+)$", RegexOptions.Multiline)]
    private static partial Regex TopLine();

    [GeneratedRegex(@"top functions by self samples \(total (\d+)\)")]
    private static partial Regex TotalLine();
}
