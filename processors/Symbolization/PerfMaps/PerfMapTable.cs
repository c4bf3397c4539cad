using Collector.Core.Model;

namespace Collector.Processors.Symbolization.PerfMaps;

/// <summary>
/// The JIT-compiled code of one process as its runtime listed it in a perf map, sorted by start address.
/// A runtime appends as it compiles, and may list code at an address it reused; the entry listed last wins.
/// Immutable: <see cref="Append"/> returns a new table, so a re-read costs a merge of what was appended.
/// </summary>
internal sealed class PerfMapTable
{
    public static readonly PerfMapTable Empty = new([]);

    private readonly ulong[] _starts;
    private readonly ulong[] _ends;
    private readonly string[] _names;
    private readonly Function?[] _functions;

    public PerfMapTable(List<(ulong Start, ulong Size, string Name)> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        (_starts, _ends, _names) = Sorted(entries);
        _functions = new Function?[_starts.Length];
    }

    private PerfMapTable(ulong[] starts, ulong[] ends, string[] names, Function?[] functions)
    {
        (_starts, _ends, _names, _functions) = (starts, ends, names, functions);
    }

    public int Count => _starts.Length;

    /// <summary>This table with lines that were appended to the map after it: a linear merge, the new lines after the old ones at equal starts so they win.</summary>
    public PerfMapTable Append(List<(ulong Start, ulong Size, string Name)> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0) return this;
        var (newStarts, newEnds, newNames) = Sorted(entries);
        var count = _starts.Length + newStarts.Length;
        var starts = new ulong[count];
        var ends = new ulong[count];
        var names = new string[count];
        var functions = new Function?[count];
        int old = 0, added = 0;
        for (var i = 0; i < count; i++)
        {
            var takeOld = added == newStarts.Length || (old < _starts.Length && _starts[old] <= newStarts[added]);
            if (takeOld)
            {
                (starts[i], ends[i], names[i], functions[i]) = (_starts[old], _ends[old], _names[old], _functions[old]);
                old++;
            }
            else
            {
                (starts[i], ends[i], names[i]) = (newStarts[added], newEnds[added], newNames[added]);
                added++;
            }
        }
        return new PerfMapTable(starts, ends, names, functions);
    }

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

    /// <summary>
    /// Stable by start, later lines after earlier ones: the search takes the last start at or below an address,
    /// so of two entries at one address the one written last names it.
    /// </summary>
    private static (ulong[] Starts, ulong[] Ends, string[] Names) Sorted(List<(ulong Start, ulong Size, string Name)> entries)
    {
        var keys = new ulong[entries.Count];
        for (var i = 0; i < keys.Length; i++) keys[i] = entries[i].Start;
        var order = AddressOrder.Stable(keys);
        var starts = new ulong[order.Length];
        var ends = new ulong[order.Length];
        var names = new string[order.Length];
        for (var i = 0; i < order.Length; i++)
        {
            var (start, size, name) = entries[order[i]];
            (starts[i], ends[i], names[i]) = (start, start + size, name);
        }
        return (starts, ends, names);
    }
}
