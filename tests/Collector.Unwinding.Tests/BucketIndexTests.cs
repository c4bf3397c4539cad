using System.Buffers.Binary;
using Collector.Unwinding.Table;

namespace Collector.Unwinding.Tests;

/// <summary>
/// The index the BPF unwinder looks rows up with finds, for every address, the row a search of the whole table finds,
/// and stays a fraction of the table's size.
/// </summary>
public sealed class BucketIndexTests
{
    public static TheoryData<string> DistributionFiles() => new(
        new[] { "/usr/lib/x86_64-linux-gnu/libc.so.6", "/usr/bin/python3.11", "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/bin/bash" }
            .Where(File.Exists).ToArray());

    [Theory]
    [MemberData(nameof(DistributionFiles))]
    public void Every_address_of_a_distribution_file_finds_the_row_a_whole_table_search_finds(string path)
    {
        var table = UnwindTableBuilder.Build(File.ReadAllBytes(path));
        Assert.True(table.Rows.Length > 1000, $"{path}: {table.Rows.Length} rows");
        AssertAgreesWithWholeTableSearch(table, new Random(path.Length));
        var index = table.Index!;
        Assert.True(index.Count <= table.Rows.Length / UnwindBucketIndex.RowsPerBucket, $"{index.Count} buckets for {table.Rows.Length} rows");
    }

    [Fact]
    public void A_table_of_one_row_has_one_bucket_holding_everything_from_that_row_on()
    {
        var table = TableOf(0x1000);
        Assert.Equal(1, table.Index!.Count);
        Assert.False(table.Index.TryGetRange(0xfff, out _, out _));
        Assert.True(table.Index.TryGetRange(0xffff_ffff_ffff, out var first, out var end));
        Assert.Equal((0u, 1u), (first, end));
    }

    [Fact]
    public void Rows_far_apart_get_wide_buckets_and_clustered_rows_share_them()
    {
        // Eight rows in 64 bytes, then one 16 MiB away: two buckets at most (a quarter of the rows), however wide.
        var table = TableOf(0x1000, 0x1008, 0x1010, 0x1018, 0x1020, 0x1028, 0x1030, 0x1038, 0x100_1000);
        Assert.True(table.Index!.Count <= 2, $"{table.Index.Count} buckets");
        AssertAgreesWithWholeTableSearch(table, new Random(1));
    }

    [Fact]
    public void Buckets_are_written_after_the_rows_as_first_end_and_zero()
    {
        var table = TableOf(0x1000, 0x1010, 0x1020, 0x1030, 0x1040, 0x1050, 0x1060, 0x1070);
        var bytes = new byte[table.SizeInBytes];
        table.WriteTo(bytes);
        Assert.Equal((table.Rows.Length + table.Index!.Count) * UnwindRowLayout.Size, bytes.Length);
        for (var bucket = 0; bucket < table.Index.Count; bucket++)
        {
            var slot = bytes.AsSpan((table.Rows.Length + bucket) * UnwindRowLayout.Size, UnwindRowLayout.Size);
            Assert.Equal(table.Index[bucket], (BinaryPrimitives.ReadUInt32LittleEndian(slot[UnwindRowLayout.BucketFirstOffset..]),
                BinaryPrimitives.ReadUInt32LittleEndian(slot[UnwindRowLayout.BucketEndOffset..])));
            Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(slot[UnwindRowLayout.BucketReservedOffset..]));
        }
    }

    /// <summary>
    /// Around every row start, and at random addresses up to past the end, the bucket's rows hold the row the whole
    /// table search finds, and the search among them (as unwinder.bpf.h does it) picks it.
    /// </summary>
    internal static void AssertAgreesWithWholeTableSearch(UnwindTable table, Random random)
    {
        var rows = table.Rows;
        if (rows.Length == 0)
        {
            Assert.Null(table.Index);
            return;
        }
        var addresses = new List<ulong>();
        foreach (var row in rows)
        {
            addresses.AddRange([row.PcStart - 1UL, row.PcStart, row.PcStart + 1UL]);
        }
        var top = (ulong)rows[^1].PcStart + 0x10000;
        for (var i = 0; i < 2000; i++)
        {
            addresses.Add((ulong)random.NextInt64((long)rows[0].PcStart, (long)top));
        }
        addresses.Add(ulong.MaxValue);
        foreach (var address in addresses)
        {
            var expected = table.TryFind(address, out var wanted);
            var found = table.Index!.TryGetRange(address, out var first, out var end);
            Assert.True(expected == found, $"{address:x}: whole table {expected}, index {found}");
            if (!found)
            {
                continue;
            }
            Assert.True(first < end && end <= rows.Length, $"{address:x}: bucket rows [{first}, {end}) of {rows.Length}");
            Assert.True(rows[(int)first].PcStart <= address, $"{address:x}: bucket starts at row {first} ({rows[(int)first].PcStart:x})");
            uint low = first, high = end;
            while (low < high)
            {
                var middle = (low + high) / 2;
                if (rows[(int)middle].PcStart <= address) low = middle + 1;
                else high = middle;
            }
            Assert.Equal(wanted, rows[(int)low - 1]);
        }
    }

    private static UnwindTable TableOf(params uint[] starts)
    {
        var rows = starts.Select((start, i) => new UnwindRow(start, CfaKind.RspOffset, 8 * (i + 1), RbpRule.Unchanged, 0, ReturnAddressRule.AtCfaMinus8)).ToArray();
        return new UnwindTable(rows, new UnwindIssueCounts(), 1, CallFrameSources.None);
    }
}
