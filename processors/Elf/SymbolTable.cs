using System.Text;

namespace Collector.Processors.Elf;

/// <summary>
/// Function symbols of one ELF file as sorted, non-duplicated address ranges, searched by binary search.
/// Independent of the file it was read from (names are copied into one byte pool), so it may outlive the
/// <see cref="ElfFile"/>. Names are decoded on first lookup and cached, so repeated lookups allocate nothing.
/// Safe for concurrent lookups (two threads may both decode a name once; either result is kept).
/// </summary>
/// <remarks>
/// Coverage rules: a symbol covers [start, start + size); a symbol of size 0 covers up to the next symbol's start,
/// but not past the end of its section (or only its start address when neither is known). A symbol nested
/// inside a larger one wins inside its own range; past it, the enclosing symbol covers again. Among aliases
/// (symbols at the same start) see <see cref="SymbolTableBuilder"/> for the choice.
/// </remarks>
public sealed class SymbolTable
{
    private readonly ulong[] _starts;
    private readonly Entry[] _entries;
    private readonly byte[] _names;
    private readonly string?[] _decoded;

    internal SymbolTable(Entry[] entries, byte[] names, int ignoredCount)
    {
        _entries = entries;
        _names = names;
        _decoded = new string?[entries.Length];
        _starts = new ulong[entries.Length];
        for (var i = 0; i < entries.Length; i++) _starts[i] = entries[i].Start;
        IgnoredCount = ignoredCount;
    }

    public static SymbolTable Empty { get; } = new([], [], 0);

    /// <summary>How many distinct function start addresses the table holds.</summary>
    public int Count => _entries.Length;

    /// <summary>Function symbols that were skipped because the file described them badly (name outside its string table, no NUL).</summary>
    public int IgnoredCount { get; }

    /// <summary>The symbol at <paramref name="index"/> in address order (0 ≤ index &lt; <see cref="Count"/>).</summary>
    public ElfSymbol this[int index] => Symbol(index);

    /// <summary>Finds the function whose range holds <paramref name="virtualAddress"/> (an address as the ELF file's symbols give them).</summary>
    public bool TryFind(ulong virtualAddress, out ElfSymbol symbol)
    {
        // The last symbol starting at or before the address, then outwards through the symbols enclosing it.
        var index = LastStartAtOrBefore(virtualAddress);
        while (index >= 0)
        {
            ref readonly var entry = ref _entries[index];
            if (virtualAddress < entry.End)
            {
                symbol = Symbol(index);
                return true;
            }
            index = entry.Parent;
        }
        symbol = default;
        return false;
    }

    /// <summary>
    /// Binary search whose halving step is a conditional move rather than a branch: a lookup's outcome is random,
    /// so a branchy search mispredicts about every other step, which costs more than the comparisons.
    /// </summary>
    private int LastStartAtOrBefore(ulong address)
    {
        ReadOnlySpan<ulong> starts = _starts;
        if (starts.IsEmpty || address < starts[0]) return -1;
        var low = 0;
        var length = starts.Length;
        while (length > 1)
        {
            var half = length >> 1;
            low = starts[low + half] <= address ? low + half : low;
            length -= half;
        }
        return low;
    }

    private ElfSymbol Symbol(int index)
    {
        ref readonly var entry = ref _entries[index];
        var name = _decoded[index] ??= Encoding.UTF8.GetString(_names, entry.NameOffset, entry.NameLength);
        return new ElfSymbol(name, entry.Start, entry.Size);
    }

    /// <summary>
    /// One symbol: [Start, End) is the range it covers after the zero-size rule; Parent is the nearest earlier
    /// entry whose range encloses this one's start (-1 for none), where a lookup past End continues.
    /// </summary>
    internal readonly record struct Entry(ulong Start, ulong End, ulong Size, int NameOffset, int NameLength, int Parent);
}
