using System.Buffers.Binary;

namespace Collector.Unwinding.Table;

/// <summary>
/// Where to look for a row without searching the whole table: the file's code, from the first row on, cut into
/// buckets of 2^<see cref="Shift"/> bytes, each naming the few rows that can cover an address in it. The BPF
/// unwinder samples at a few hertz, so every table it reads is cold in the cache: a binary search over a whole
/// table (15 probes for libc, each on another cache line and page) cost more than the rest of a sample's walk.
/// With the index, a lookup reads one bucket and searches a handful of adjacent rows.
/// <para>
/// Layout (<see cref="UnwindRowLayout"/> is the reference): the buckets follow the rows in the same kernel array, one
/// slot each: rows [first, end) hold every row that covers an address of the bucket, and row <c>first</c> starts at or below the bucket's start. Addresses past the
/// last bucket belong to it (the last row covers them).
/// </para>
/// </summary>
public sealed class UnwindBucketIndex
{
    /// <summary>The index is at most a quarter of the rows it covers (in slots): about four rows per bucket on average.</summary>
    public const int RowsPerBucket = 4;

    /// <summary>Buckets never get narrower than this (bytes, as a power of two): a function is rarely smaller.</summary>
    public const int MinShift = 4;

    private const int MaxShift = 31;

    private readonly (uint First, uint End)[] _buckets;

    private UnwindBucketIndex(uint baseAddress, int shift, (uint First, uint End)[] buckets)
    {
        Base = baseAddress;
        Shift = shift;
        _buckets = buckets;
    }

    /// <summary>File virtual address where bucket 0 starts: the first row's.</summary>
    public uint Base { get; }

    /// <summary>Each bucket covers 2^Shift bytes.</summary>
    public int Shift { get; }

    public int Count => _buckets.Length;

    public (uint First, uint End) this[int bucket] => _buckets[bucket];

    /// <summary>The index of <paramref name="rows"/> (sorted by start, unique, at least one).</summary>
    public static UnwindBucketIndex Build(ReadOnlySpan<UnwindRow> rows)
    {
        ArgumentOutOfRangeException.ThrowIfZero(rows.Length, nameof(rows));
        var baseAddress = rows[0].PcStart;
        var span = (ulong)(rows[^1].PcStart - baseAddress);
        var limit = Math.Max(1, rows.Length / RowsPerBucket);
        var shift = MinShift;
        while (shift < MaxShift && (span >> shift) + 1 > (ulong)limit)
        {
            shift++;
        }
        var buckets = new (uint First, uint End)[(int)(span >> shift) + 1];
        var row = 0;
        for (var bucket = 0; bucket < buckets.Length; bucket++)
        {
            var start = baseAddress + ((ulong)bucket << shift);
            var end = start + (1UL << shift);
            // The last row starting at or below the bucket's start covers its first byte.
            while (row + 1 < rows.Length && rows[row + 1].PcStart <= start)
            {
                row++;
            }
            var last = row;
            while (last + 1 < rows.Length && rows[last + 1].PcStart < end)
            {
                last++;
            }
            buckets[bucket] = ((uint)row, bucket == buckets.Length - 1 ? (uint)rows.Length : (uint)last + 1);
        }
        return new UnwindBucketIndex(baseAddress, shift, buckets);
    }

    /// <summary>The rows to search for <paramref name="address"/>, as the BPF unwinder finds them; false below the first row.</summary>
    public bool TryGetRange(ulong address, out uint first, out uint end)
    {
        first = end = 0;
        if (address < Base)
        {
            return false;
        }
        var bucket = (address - Base) >> Shift;
        (first, end) = _buckets[(int)Math.Min(bucket, (ulong)_buckets.Length - 1)];
        return true;
    }

    /// <summary>Writes every bucket, one <see cref="UnwindRowLayout.Size"/>-byte slot each.</summary>
    public void WriteTo(Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, _buckets.Length * UnwindRowLayout.Size, nameof(destination));
        for (var i = 0; i < _buckets.Length; i++)
        {
            var slot = destination.Slice(i * UnwindRowLayout.Size, UnwindRowLayout.Size);
            BinaryPrimitives.WriteUInt32LittleEndian(slot[UnwindRowLayout.BucketFirstOffset..], _buckets[i].First);
            BinaryPrimitives.WriteUInt32LittleEndian(slot[UnwindRowLayout.BucketEndOffset..], _buckets[i].End);
            BinaryPrimitives.WriteUInt32LittleEndian(slot[UnwindRowLayout.BucketReservedOffset..], 0);
        }
    }
}
