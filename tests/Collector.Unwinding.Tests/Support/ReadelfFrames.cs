using System.Globalization;
using System.Text.RegularExpressions;

namespace Collector.Unwinding.Tests.Support;

/// <summary>
/// The row tables of `readelf --debug-dump=frames-interp`, the independent reading our rows are checked against.
/// Per FDE: its range, and per printed location the CFA column and the rbp column (null when the FDE never mentions rbp).
/// </summary>
internal static partial class ReadelfFrames
{
    public sealed record Row(ulong Location, string Cfa, string? Rbp, string? ReturnAddress);

    public sealed record Fde(string Section, ulong Start, ulong End, List<Row> Rows);

    public static List<Fde> Read(string path)
    {
        var fdes = new List<Fde>();
        var section = "";
        Fde? current = null;
        string[]? columns = null;
        // readelf exits with 1 on some distribution files (libc.so.6) after printing every table: judge by the output.
        var (_, text, error) = ExternalTools.Run("readelf", ["--wide", "--debug-dump=frames-interp", path], stdin: null);
        Assert.True(text.Contains("Contents of the .", StringComparison.Ordinal), $"readelf printed no frames for {path}: {error}");
        foreach (var line in text.Split('\n'))
        {
            if (SectionHeader().Match(line) is { Success: true } sectionMatch)
            {
                section = sectionMatch.Groups[1].Value;
                current = null;
            }
            else if (FdeHeader().Match(line) is { Success: true } fde)
            {
                current = new Fde(section, Hex(fde.Groups[1].Value), Hex(fde.Groups[2].Value), []);
                fdes.Add(current);
                columns = null;
            }
            else if (line.Contains(" CIE", StringComparison.Ordinal) && CieHeader().IsMatch(line))
            {
                current = null;
            }
            else if (current is not null && line.TrimStart().StartsWith("LOC", StringComparison.Ordinal))
            {
                columns = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            }
            else if (current is not null && columns is not null && RowLine().IsMatch(line))
            {
                // A register rule prints as "r10 (r10)": the name in parentheses belongs to the cell before it.
                var cells = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(cell => !cell.StartsWith('(')).ToArray();
                string? Cell(string name) => Array.IndexOf(columns, name) is var i and >= 0 && i < cells.Length ? cells[i] : null;
                var row = new Row(Hex(cells[0]), cells[1], Cell("rbp"), Cell("ra"));
                // A location printed twice (an advance of zero) holds the later rules.
                if (current.Rows.Count > 0 && current.Rows[^1].Location == row.Location) current.Rows[^1] = row;
                else current.Rows.Add(row);
            }
        }
        return fdes;
    }

    private static ulong Hex(string text) => ulong.Parse(text, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^Contents of the (\.\S+) section")]
    private static partial Regex SectionHeader();

    [GeneratedRegex(@"^[0-9a-f]+ [0-9a-f]+ [0-9a-f]+ FDE cie=[0-9a-f]+ pc=([0-9a-f]+)\.\.([0-9a-f]+)")]
    private static partial Regex FdeHeader();

    [GeneratedRegex(@"^[0-9a-f]+ [0-9a-f]+ [0-9a-f]+ (CIE|ZERO terminator)")]
    private static partial Regex CieHeader();

    [GeneratedRegex(@"^[0-9a-f]{8,16} ")]
    private static partial Regex RowLine();
}
