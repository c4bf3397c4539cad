using System.Buffers;

namespace Collector.Processors.Elf;

/// <summary>
/// Collects function symbols from one or more symbol tables and turns them into a <see cref="SymbolTable"/>.
/// Names are copied into one growing pool as they arrive (no allocation per symbol); the pool and the candidate
/// list are rented and returned.
/// </summary>
/// <remarks>
/// Aliases (several symbols at one start address) resolve deterministically, whatever order the file lists them in:
/// GLOBAL (or GNU_UNIQUE) binding before WEAK before LOCAL, then a symbol with a size before one without, then the
/// shorter name, then the smaller name in byte order. The chosen entry covers the largest size any alias declares.
/// So <c>malloc</c> wins over its local alias <c>__GI___libc_malloc</c> and over the weak <c>__libc_malloc</c>.
/// </remarks>
internal sealed class SymbolTableBuilder : IDisposable
{
    private Candidate[] _candidates = ArrayPool<Candidate>.Shared.Rent(256);
    private byte[] _names = ArrayPool<byte>.Shared.Rent(4096);
    private int _count;
    private int _namesLength;

    public int IgnoredCount { get; set; }

    /// <summary>Adds one function symbol. <paramref name="sectionEnd"/> is null when its section is unknown.</summary>
    public void Add(ulong start, ulong size, ulong? sectionEnd, byte binding, ReadOnlySpan<byte> name)
    {
        if (_count == _candidates.Length) Grow(ref _candidates, _count, checked(_count * 2));
        if (name.Length > _names.Length - _namesLength) Grow(ref _names, _namesLength, checked(Math.Max(_names.Length * 2, _namesLength + name.Length)));
        name.CopyTo(_names.AsSpan(_namesLength));
        _candidates[_count++] = new Candidate(start, size, sectionEnd ?? 0, sectionEnd.HasValue, RankOf(binding), _namesLength, name.Length);
        _namesLength += name.Length;
    }

    public SymbolTable Build()
    {
        var candidates = _candidates.AsSpan(0, _count);
        var names = _names;
        candidates.Sort((left, right) => Compare(left, right, names));

        var distinct = 0;
        for (var i = 0; i < candidates.Length; i++)
        {
            if (i == 0 || candidates[i].Start != candidates[i - 1].Start) distinct++;
        }
        var entries = new SymbolTable.Entry[distinct];
        var pool = new byte[PoolSize(candidates)];
        var poolLength = 0;
        var written = 0;
        for (var first = 0; first < candidates.Length;)
        {
            var winner = candidates[first];
            var size = winner.Size;
            var last = first + 1;
            for (; last < candidates.Length && candidates[last].Start == winner.Start; last++) size = Math.Max(size, candidates[last].Size);
            var nextStart = last < candidates.Length ? candidates[last].Start : (ulong?)null;
            _names.AsSpan(winner.NameOffset, winner.NameLength).CopyTo(pool.AsSpan(poolLength));
            entries[written++] = new SymbolTable.Entry(winner.Start, EndOf(winner, size, nextStart), size, poolLength, winner.NameLength, Parent: -1);
            poolLength += winner.NameLength;
            first = last;
        }
        LinkEnclosingSymbols(entries);
        return new SymbolTable(entries, pool, IgnoredCount);
    }

    public void Dispose()
    {
        ArrayPool<Candidate>.Shared.Return(_candidates);
        ArrayPool<byte>.Shared.Return(_names);
        _candidates = [];
        _names = [];
    }

    private static ulong EndOf(in Candidate symbol, ulong size, ulong? nextStart)
    {
        if (size > 0) return symbol.Start <= ulong.MaxValue - size ? symbol.Start + size : ulong.MaxValue;
        var end = nextStart ?? ulong.MaxValue;
        if (symbol.HasSectionEnd && symbol.SectionEnd > symbol.Start) end = Math.Min(end, symbol.SectionEnd);
        if (end == ulong.MaxValue) end = symbol.Start + 1; // neither a next symbol nor a section: its start only
        return end;
    }

    private static void LinkEnclosingSymbols(SymbolTable.Entry[] entries)
    {
        // A stack of the entries whose ranges are still open at the current start.
        var open = new Stack<int>();
        for (var i = 0; i < entries.Length; i++)
        {
            while (open.Count > 0 && entries[open.Peek()].End <= entries[i].Start) open.Pop();
            if (open.Count > 0) entries[i] = entries[i] with { Parent = open.Peek() };
            open.Push(i);
        }
    }

    private static int PoolSize(ReadOnlySpan<Candidate> sorted)
    {
        var size = 0;
        for (var i = 0; i < sorted.Length; i++)
        {
            if (i == 0 || sorted[i].Start != sorted[i - 1].Start) size = checked(size + sorted[i].NameLength);
        }
        return size;
    }

    private static int Compare(in Candidate left, in Candidate right, byte[] names)
    {
        var order = left.Start.CompareTo(right.Start);
        if (order != 0) return order;
        order = left.Rank.CompareTo(right.Rank);
        if (order != 0) return order;
        order = (left.Size == 0).CompareTo(right.Size == 0);
        if (order != 0) return order;
        order = left.NameLength.CompareTo(right.NameLength);
        if (order != 0) return order;
        return names.AsSpan(left.NameOffset, left.NameLength).SequenceCompareTo(names.AsSpan(right.NameOffset, right.NameLength));
    }

    private static byte RankOf(byte binding) => binding switch
    {
        ElfConstants.StbGlobal or ElfConstants.StbGnuUnique => 0,
        ElfConstants.StbWeak => 1,
        ElfConstants.StbLocal => 2,
        _ => 3,
    };

    private static void Grow<T>(ref T[] array, int used, int minimum)
    {
        var larger = ArrayPool<T>.Shared.Rent(minimum);
        array.AsSpan(0, used).CopyTo(larger);
        ArrayPool<T>.Shared.Return(array);
        array = larger;
    }

    private readonly record struct Candidate(ulong Start, ulong Size, ulong SectionEnd, bool HasSectionEnd, byte Rank, int NameOffset, int NameLength);
}
