using Collector.Unwinding.Elf;

namespace Collector.Unwinding.Table;

/// <summary>
/// The unwind rows of one ELF file, sorted by <see cref="UnwindRow.PcStart"/> with no two adjacent rows alike, and what
/// went wrong building them. Immutable; one table serves every process that maps the file.
/// </summary>
public sealed class UnwindTable
{
    private readonly UnwindRow[] _rows;

    internal UnwindTable(UnwindRow[] rows, UnwindIssueCounts issues, int fdeCount, CallFrameSources sources, IReadOnlyList<LoadSegment>? segments = null)
    {
        _rows = rows;
        Index = rows.Length > 0 ? UnwindBucketIndex.Build(rows) : null;
        LoadBias = new LoadBias(segments is null ? [] : [.. segments]);
        Issues = issues;
        FdeCount = fdeCount;
        Sources = sources;
    }

    public ReadOnlySpan<UnwindRow> Rows => _rows;

    public UnwindIssueCounts Issues { get; }

    /// <summary>FDEs whose rows are in the table.</summary>
    public int FdeCount { get; }

    public CallFrameSources Sources { get; }

    /// <summary>Where the BPF unwinder looks a row up; null for a table without rows.</summary>
    public UnwindBucketIndex? Index { get; }

    /// <summary>Slots of the kernel's array: the rows, then the buckets of the index.</summary>
    public int SlotCount => _rows.Length + (Index?.Count ?? 0);

    /// <summary>The table's size in the layout of <see cref="UnwindRowLayout"/>, index included.</summary>
    public int SizeInBytes => SlotCount * UnwindRowLayout.Size;

    /// <summary>
    /// The row that covers <paramref name="address"/> (a virtual address in the file): the last row starting at or
    /// below it. False below the first row; the BPF unwinder does the same search.
    /// </summary>
    public bool TryFind(ulong address, out UnwindRow row)
    {
        row = default;
        if (address > uint.MaxValue) address = uint.MaxValue;
        int low = 0, high = _rows.Length - 1, found = -1;
        while (low <= high)
        {
            var middle = low + ((high - low) >> 1);
            if (_rows[middle].PcStart <= address)
            {
                found = middle;
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }
        if (found < 0) return false;
        row = _rows[found];
        return true;
    }

    /// <summary>Where the file's code lands in a process that maps it: small, kept after the rows are handed on.</summary>
    public LoadBias LoadBias { get; }

    /// <summary>
    /// Writes every row in the layout of <see cref="UnwindRowLayout"/>, then the index's buckets: the kernel array's
    /// slots. <paramref name="destination"/> holds at least <see cref="SizeInBytes"/>.
    /// </summary>
    public void WriteTo(Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, SizeInBytes, nameof(destination));
        for (var i = 0; i < _rows.Length; i++) _rows[i].WriteTo(destination[(i * UnwindRowLayout.Size)..]);
        Index?.WriteTo(destination[(_rows.Length * UnwindRowLayout.Size)..]);
    }
}
