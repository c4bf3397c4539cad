using System.Globalization;

namespace Collector.Processors.Symbolization.PerfMaps;

/// <summary>
/// Reads a perf map (<c>/tmp/perf-&lt;pid&gt;.map</c>, the format .NET, Node and Java agents write): one line per
/// piece of code, <c>START SIZE NAME</c>, start and size hexadecimal (a leading 0x is tolerated), the name
/// running to the end of the line and possibly containing spaces. Malformed lines are skipped and counted; a
/// last line the runtime is still writing is one of them.
/// </summary>
internal static class PerfMapParser
{
    public static PerfMapTable Parse(TextReader reader, out int malformedLines) => new(Entries(reader, out malformedLines));

    /// <summary>The entries of the lines <paramref name="reader"/> gives, in file order.</summary>
    public static List<(ulong Start, ulong Size, string Name)> Entries(TextReader reader, out int malformedLines)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var entries = new List<(ulong Start, ulong Size, string Name)>();
        malformedLines = 0;
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0) continue;
            if (TryParseLine(line, out var start, out var size, out var name)) entries.Add((start, size, name));
            else malformedLines++;
        }
        return entries;
    }

    private static bool TryParseLine(ReadOnlySpan<char> line, out ulong start, out ulong size, out string name)
    {
        start = 0;
        size = 0;
        name = "";
        var firstSpace = line.IndexOf(' ');
        if (firstSpace <= 0 || !TryParseHex(line[..firstSpace], out start)) return false;
        var rest = line[(firstSpace + 1)..];
        var secondSpace = rest.IndexOf(' ');
        if (secondSpace <= 0 || !TryParseHex(rest[..secondSpace], out size)) return false;
        var text = rest[(secondSpace + 1)..].Trim();
        if (text.IsEmpty || size == 0 || start + size < start) return false;
        name = text.ToString();
        return true;
    }

    private static bool TryParseHex(ReadOnlySpan<char> text, out ulong value)
    {
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) text = text[2..];
        return ulong.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
    }
}
