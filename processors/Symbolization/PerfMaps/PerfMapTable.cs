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
        var starts = new ulong[entries.Count];
        for (var i = 0; i < starts.Length; i++) starts[i] = entries[i].Start;
        var order = AddressOrder.Stable(starts);
        _starts = new ulong[order.Length];
        _ends = new ulong[order.Length];
        _names = new string[order.Length];
        for (var i = 0; i < order.Length; i++)
        {
            var (start, size, name) = entries[order[i]];
            (_starts[i], _ends[i], _names[i]) = (start, start + size, name);
        }
        _functions = new Function?[order.Length];
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
