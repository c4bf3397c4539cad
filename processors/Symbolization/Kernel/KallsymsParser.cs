using System.Globalization;

namespace Collector.Processors.Symbolization.Kernel;

/// <summary>
/// Reads the text of <c>/proc/kallsyms</c>: lines <c>ADDRESS TYPE NAME</c>, hexadecimal address without 0x,
/// and for a module's symbols a tab and <c>[module]</c> after the name. Only code symbols are kept (types
/// t/T and weak w/W): stacks point at code. Malformed lines are skipped and counted.
/// </summary>
internal static class KallsymsParser
{
    private const string CoreTextEndSymbol = "_etext";

    public static KernelSymbolTable Parse(TextReader reader, out int malformedLines)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var symbols = new List<(ulong Start, string Name, int Image)>(capacity: 1 << 16);
        var modules = new List<string>();
        var moduleIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        ulong coreTextEnd = 0;
        var anyAddress = false;
        malformedLines = 0;
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0) continue;
            if (!TryParseLine(line, out var address, out var type, out var name, out var module))
            {
                malformedLines++;
                continue;
            }
            if (address != 0) anyAddress = true;
            if (module.IsEmpty && name.SequenceEqual(CoreTextEndSymbol))
            {
                // A marker, not code: it ends the last core function instead of naming what follows.
                coreTextEnd = address;
                continue;
            }
            if (type is not ('t' or 'T' or 'w' or 'W')) continue;
            var image = 0;
            if (!module.IsEmpty)
            {
                var moduleName = module.ToString();
                if (!moduleIndex.TryGetValue(moduleName, out image))
                {
                    modules.Add(moduleName);
                    image = modules.Count;
                    moduleIndex.Add(moduleName, image);
                }
            }
            symbols.Add((address, name.ToString(), image));
        }
        return new KernelSymbolTable(symbols, modules, coreTextEnd, addressesHidden: symbols.Count > 0 && !anyAddress);
    }

    private static bool TryParseLine(ReadOnlySpan<char> line, out ulong address, out char type, out ReadOnlySpan<char> name, out ReadOnlySpan<char> module)
    {
        address = 0;
        type = '\0';
        name = default;
        module = default;
        var firstSpace = line.IndexOf(' ');
        if (firstSpace <= 0 || firstSpace + 3 > line.Length || line[firstSpace + 2] != ' ') return false;
        if (!ulong.TryParse(line[..firstSpace], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out address)) return false;
        type = line[firstSpace + 1];
        var rest = line[(firstSpace + 3)..];
        var tab = rest.IndexOf('\t');
        if (tab >= 0)
        {
            var tail = rest[(tab + 1)..].Trim();
            rest = rest[..tab];
            if (tail.Length < 3 || tail[0] != '[' || tail[^1] != ']') return false;
            module = tail[1..^1];
        }
        name = rest.Trim();
        return !name.IsEmpty;
    }
}
