using Collector.Core.Model;

namespace Collector.Processors.Symbolization.PerfMaps;

/// <summary>
/// The JIT-compiled code of one process as its runtime listed it in a perf map, sorted by start address.
/// A runtime appends as it compiles, and may list code at an address it reused; the entry listed last wins.
/// </summary>
internal sealed class PerfMapTable
{
    private readonly ulong[] _starts;
    private readonly ulong[] _ends;
    private readonly string[] _names;
    private readonly Function?[] _functions;

    public PerfMapTable(List<(ulong Start, ulong Size, string Name)> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        // Stable by start, later lines after earlier ones: the search takes the last start at or below an
        // address, so of two entries at one address the one written last names it.
        var ordered = entries.Select((entry, index) => (entry, index)).OrderBy(e => e.entry.Start).ThenBy(e => e.index).ToArray();
        _starts = [.. ordered.Select(e => e.entry.Start)];
        _ends = [.. ordered.Select(e => e.entry.Start + e.entry.Size)];
        _names = [.. ordered.Select(e => e.entry.Name)];
        _functions = new Function?[ordered.Length];
    }

    public int Count => _starts.Length;

    public bool TryFind(ulong address, out Function function)
    {
        var index = Array.BinarySearch(_starts, address);
        if (index >= 0)
        {
            while (index + 1 < _starts.Length && _starts[index + 1] == address) index++;
        }
        else
        {
            index = ~index - 1;
        }
        if (index < 0 || address >= _ends[index])
        {
            function = null!;
            return false;
        }
        // JIT names are not Itanium or Rust mangled; the name the runtime wrote is both name and system name.
        function = _functions[index] ??= new Function(_names[index], _names[index]);
        return true;
    }
}
