using System.Buffers.Binary;
using Collector.Unwinding.Table;
using Collector.Unwinding.Tests.Support;

namespace Collector.Unwinding.Tests;

/// <summary>
/// Real .eh_frame sections mutated 1,000 times (bit flips, truncated sections, rewritten entry lengths): no exception
/// escapes, and every table is sorted, free of adjacent duplicates and made of valid values.
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output) : IDisposable
{
    private const string Libc = "/lib/x86_64-linux-gnu/libc.so.6";
    private readonly NativeBuild _build = new();

    public void Dispose() => _build.Dispose();

    [Fact]
    public void A_thousand_mutated_eh_frame_sections_give_counted_issues_and_well_formed_tables()
    {
        ExternalTools.Require("g++", "g++");
        var exceptions = File.ReadAllBytes(_build.Compile("exceptions", TestPrograms.ExceptionsCpp, ".cc", "g++", "-O2", "-fomit-frame-pointer"));
        var deep = File.ReadAllBytes(_build.Compile("deep", TestPrograms.DeepC, ".c", "gcc", "-O2", "-fomit-frame-pointer"));
        var originals = new List<byte[]> { exceptions, deep };
        if (File.Exists(Libc)) originals.Add(File.ReadAllBytes(Libc));

        var random = new Random(13);
        var withIssues = 0;
        var withRows = 0;
        for (var round = 0; round < 1000; round++)
        {
            // libc is 30 times larger: one round in ten is enough to reach its corners.
            var original = originals[round % 10 == 9 && originals.Count > 2 ? 2 : round % 2];
            var file = (byte[])original.Clone();
            var kind = Mutate(file, random);
            UnwindTable table;
            try
            {
                table = UnwindTableBuilder.Build(file);
            }
            catch (Exception e)
            {
                Assert.Fail($"round {round} ({kind}): {e}");
                throw;
            }
            AssertWellFormed(table, $"round {round} ({kind})");
            if (table.Issues.Total > 0) withIssues++;
            if (table.Rows.Length > 0) withRows++;
        }
        output.WriteLine($"1000 mutations: {withIssues} with counted issues, {withRows} with rows");
        Assert.True(withIssues > 300, $"only {withIssues} mutations were noticed");
    }

    [Fact]
    public void Input_that_is_not_an_elf_file_is_counted()
    {
        var table = UnwindTableBuilder.Build(new byte[] { 1, 2, 3 });
        Assert.Equal(1, table.Issues[UnwindIssue.ElfMalformed]);
        Assert.Equal(0, table.Rows.Length);
        Assert.False(table.TryFind(0x1000, out _));
    }

    internal static void AssertWellFormed(UnwindTable table, string context)
    {
        var rows = table.Rows;
        for (var i = 0; i < rows.Length; i++)
        {
            var row = rows[i];
            Assert.True(Enum.IsDefined(row.CfaKind) && Enum.IsDefined(row.RbpRule) && Enum.IsDefined(row.ReturnAddress), $"{context}: {row}");
            if (i == 0) continue;
            Assert.True(rows[i - 1].PcStart < row.PcStart, $"{context}: rows {i - 1} and {i} out of order");
            Assert.False(rows[i - 1].HasSameRules(row), $"{context}: rows {i - 1} and {i} not merged");
        }
        if (rows.Length > 0) Assert.Equal(CfaKind.FramePointer, rows[^1].CfaKind);
        var bytes = new byte[table.SizeInBytes];
        table.WriteTo(bytes);
        BucketIndexTests.AssertAgreesWithWholeTableSearch(table, new Random(rows.Length));
    }

    private static string Mutate(byte[] file, Random random)
    {
        var (start, length) = SectionBounds(file, ".eh_frame");
        switch (random.Next(3))
        {
            case 0:
                var flips = random.Next(1, 9);
                for (var i = 0; i < flips; i++) file[start + random.Next(length)] ^= (byte)(1 << random.Next(8));
                return $"{flips} bit flips";
            case 1:
                // The section ends early: shrink its size in the section header (cutting the file would lose the headers).
                var header = SectionHeaderOffset(file, ".eh_frame");
                var size = random.Next(length);
                BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(header + 32), (ulong)size);
                return $"section cut to {size} of {length}";
            default:
                var entries = EntryOffsets(file.AsSpan(start, length));
                var entry = entries[random.Next(entries.Count)];
                uint value = random.Next(4) switch
                {
                    0 => 0,
                    1 => uint.MaxValue,
                    2 => (uint)random.Next(1, 8),
                    _ => (uint)random.Next(length * 2),
                };
                BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(start + entry), value);
                return $"length of entry at {entry} set to {value}";
        }
    }

    private static List<int> EntryOffsets(ReadOnlySpan<byte> section)
    {
        var offsets = new List<int>();
        for (var position = 0; position + 4 <= section.Length;)
        {
            var length = BinaryPrimitives.ReadUInt32LittleEndian(section[position..]);
            if (length == 0 || length == uint.MaxValue) break;
            offsets.Add(position);
            position += 4 + (int)length;
        }
        return offsets;
    }

    private static (int Start, int Length) SectionBounds(byte[] file, string name)
    {
        var header = SectionHeaderOffset(file, name);
        return ((int)BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(header + 24)), (int)BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(header + 32)));
    }

    /// <summary>The file offset of the named section's header (ELF64 little-endian, read independently of the library).</summary>
    private static int SectionHeaderOffset(byte[] file, string name)
    {
        var table = (int)BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(0x28));
        var count = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(0x3c));
        var namesHeader = table + BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(0x3e)) * 64;
        var names = (int)BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(namesHeader + 24));
        for (var i = 0; i < count; i++)
        {
            var header = table + i * 64;
            var nameStart = names + (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(header));
            var nameEnd = Array.IndexOf(file, (byte)0, nameStart);
            if (System.Text.Encoding.ASCII.GetString(file, nameStart, nameEnd - nameStart) == name) return header;
        }
        throw new InvalidOperationException($"no {name}");
    }
}
