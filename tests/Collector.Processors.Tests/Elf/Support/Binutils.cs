using System.Globalization;
using System.Text.RegularExpressions;

namespace Collector.Processors.Tests.Elf.Support;

/// <summary>What readelf and nm (GNU binutils, an independent reader) say about a file, parsed from their text output.</summary>
public static partial class Binutils
{
    /// <summary>One row of <c>readelf -sW</c> (either table); versioned .dynsym names lose their <c>@VERSION</c>.</summary>
    public sealed record Symbol(ulong Value, ulong Size, string Type, string Bind, string SectionIndex, string Name);

    public sealed record Load(ulong Offset, ulong VirtualAddress, ulong FileSize, ulong MemorySize);

    public sealed record Section(string Name, ulong Address, ulong Offset, ulong Size);

    public static string? BuildId(string path)
    {
        var match = BuildIdLine().Match(Run("readelf", "-n", path));
        return match.Success ? match.Groups[1].Value : null;
    }

    public static IReadOnlyList<Load> Loads(string path) =>
        [.. Run("readelf", "-lW", path).Split('\n').Select(line => line.Trim()).Where(line => line.StartsWith("LOAD ", StringComparison.Ordinal))
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(f => new Load(Hex(f[1]), Hex(f[2]), Hex(f[4]), Hex(f[5])))];

    public static Section FindSection(string path, string name)
    {
        foreach (var line in Run("readelf", "-SW", path).Split('\n'))
        {
            // "  [16] .text             PROGBITS        0000000000001060 001060 000185 00  AX  0   0 16"
            var fields = line.Replace("[ ", "[", StringComparison.Ordinal).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length > 5 && fields[0].StartsWith('[') && fields[1] == name) return new Section(name, Hex(fields[3]), Hex(fields[4]), Hex(fields[5]));
        }
        throw new InvalidOperationException($"readelf -S shows no {name} in {path}");
    }

    /// <summary>Every row of .symtab and .dynsym.</summary>
    public static IReadOnlyList<Symbol> Symbols(string path)
    {
        var symbols = new List<Symbol>();
        foreach (var row in Run("readelf", "-sW", path).Split('\n'))
        {
            // readelf names STT_GNU_IFUNC only when the header's OS ABI is GNU; Linux honours it in any object.
            var line = row.Replace("<OS specific>: 10", "IFUNC", StringComparison.Ordinal);
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 8 || !fields[0].EndsWith(':') || !char.IsAsciiDigit(fields[0][0])) continue;
            var name = fields[7];
            var at = name.IndexOf('@', StringComparison.Ordinal);
            if (at > 0) name = name[..at];
            symbols.Add(new Symbol(Hex(fields[1]), Number(fields[2]), fields[3], fields[4], fields[6], name));
        }
        return symbols;
    }

    /// <summary>
    /// The function symbols our reader keeps (FUNC/IFUNC, defined, non-zero), grouped by address, each group's
    /// expected choice first under the documented alias rule (GLOBAL/UNIQUE, WEAK, LOCAL; sized; shorter; ordinal).
    /// </summary>
    public static IReadOnlyDictionary<ulong, Symbol[]> FunctionsByAddress(string path, bool clearThumbBit = false) =>
        Symbols(path)
            .Where(s => s.Type is "FUNC" or "IFUNC" && s.SectionIndex != "UND" && s.Value != 0 && s.Name.Length > 0)
            .Select(s => clearThumbBit ? s with { Value = s.Value & ~1ul } : s)
            .GroupBy(s => s.Value)
            .ToDictionary(g => g.Key, g => g.OrderBy(Rank).ThenBy(s => s.Size == 0).ThenBy(s => s.Name.Length).ThenBy(s => s.Name, StringComparer.Ordinal).ToArray());

    /// <summary><c>nm</c>'s defined text symbols: name → address.</summary>
    public static IReadOnlyDictionary<string, ulong> NmTextSymbols(string path)
    {
        var result = new Dictionary<string, ulong>(StringComparer.Ordinal);
        foreach (var line in Run("nm", "--defined-only", path).Split('\n'))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 3 && fields[1] is "T" or "t" or "W" or "i") result.TryAdd(fields[2], Hex(fields[0]));
        }
        return result;
    }

    public static string Run(string tool, params string[] arguments)
    {
        var (exitCode, output, error) = ExternalTools.Run(tool, arguments, stdin: null);
        if (exitCode != 0) throw new InvalidOperationException($"{tool} {string.Join(' ', arguments)} failed ({exitCode}): {error}");
        return output;
    }

    public static ulong Hex(string text) => ulong.Parse(text.StartsWith("0x", StringComparison.Ordinal) ? text[2..] : text, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    // readelf prints sizes in decimal, switching to 0x-prefixed hex for large ones.
    private static ulong Number(string text) => text.StartsWith("0x", StringComparison.Ordinal) ? Hex(text) : ulong.Parse(text, CultureInfo.InvariantCulture);

    private static int Rank(Symbol symbol) => symbol.Bind switch { "GLOBAL" or "UNIQUE" => 0, "WEAK" => 1, "LOCAL" => 2, _ => 3 };

    [GeneratedRegex(@"Build ID: ([0-9a-f]+)")]
    private static partial Regex BuildIdLine();
}
