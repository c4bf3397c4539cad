using Collector.Processors.Elf;
using Collector.Processors.Tests.Elf.Support;

namespace Collector.Processors.Tests.Elf;

/// <summary>
/// Crafted images of every class and byte order read the same by readelf and by us (which also checks the image
/// builder the rule tests rely on), and structural damage in them is noted or refused, never a crash.
/// </summary>
public sealed class CraftedImageTests : IDisposable
{
    private readonly string _path = Path.GetTempFileName();

    public static TheoryData<bool, bool> Layouts => SymbolTableRulesTests.Layouts;

    public void Dispose() => File.Delete(_path);

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Readelf_reads_the_same_build_id_segments_and_symbols(bool is64Bit, bool littleEndian)
    {
        ExternalTools.Require("readelf", "binutils");
        var builder = new ElfImageBuilder(is64Bit, littleEndian)
            .BuildId([0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16])
            .Function("alpha", 0x10, 0x20).Function("beta", 0x40, 0).Function("beta_alias", 0x40, 0, bind: 2).Function("gamma", 0x80, 0x8, bind: 0)
            .DebugLink("crafted.debug", 0xcafe0123);
        File.WriteAllBytes(_path, builder.Build());
        using var file = ElfFile.Open(_path);
        Assert.Equal(Binutils.BuildId(_path), file.GnuBuildIdHex);
        Assert.Equal(Binutils.Loads(_path), file.LoadSegments.Select(s => new Binutils.Load(s.FileOffset, s.VirtualAddress, s.FileSize, s.MemorySize)));
        var table = file.ReadSymbols();
        var expected = Binutils.FunctionsByAddress(_path);
        Assert.Equal(expected.Keys.Order(), Enumerable.Range(0, table.Count).Select(i => table[i].Start));
        Assert.Equal(expected.Values.OrderBy(a => a[0].Value).Select(a => a[0].Name), Enumerable.Range(0, table.Count).Select(i => table[i].Name));
        Assert.Equal(("crafted.debug", 0xcafe0123u), (file.DebugLinkName, file.DebugLinkCrc));
        Assert.Empty(file.Problems);
    }

    [Fact]
    public void Section_counts_beyond_the_header_field_come_from_section_zero()
    {
        // Extended numbering: e_shnum = 0 and the real count in section 0's sh_size, e_shstrndx = SHN_XINDEX and the index in its sh_link.
        var builder = new ElfImageBuilder(true, true).Function("extended", 0x10, 4).DebugLink("x.debug", 7);
        var image = builder.Build();
        var count = BitConverter.ToUInt16(image, 0x3c);
        var names = BitConverter.ToUInt16(image, 0x3e);
        BitConverter.GetBytes((ushort)0).CopyTo(image, 0x3c);
        BitConverter.GetBytes((ushort)0xffff).CopyTo(image, 0x3e);
        BitConverter.GetBytes((ulong)count).CopyTo(image, builder.SectionHeaderOffset + 32);
        BitConverter.GetBytes((uint)names).CopyTo(image, builder.SectionHeaderOffset + 40);
        using var file = ElfFile.FromBytes(image, "extended");
        Assert.Equal("x.debug", file.DebugLinkName);
        Assert.True(file.ReadSymbols().TryFind(builder.TextAddress + 0x10, out var symbol));
        Assert.Equal("extended", symbol.Name);
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Without_a_note_segment_the_build_id_comes_from_the_note_section(bool is64Bit, bool littleEndian)
    {
        var image = new ElfImageBuilder(is64Bit, littleEndian).BuildId([0xaa, 0xbb, 0xcc]).Build();
        // The second program header is the PT_NOTE; make it PT_NULL (its type is the first word, 0 in either byte order).
        var noteHeader = is64Bit ? 64 + 56 : 52 + 32;
        image.AsSpan(noteHeader, 4).Clear();
        using var file = ElfFile.FromBytes(image, "note section only");
        Assert.Equal("aabbcc", file.GnuBuildIdHex);
    }

    [Fact]
    public void Section_headers_outside_the_file_are_noted_and_the_rest_still_reads()
    {
        var builder = new ElfImageBuilder(true, false).BuildId([1, 2, 3, 4]).Function("f", 0x10, 4);
        var image = builder.Build();
        // e_shoff far beyond the end: the build id still comes from the PT_NOTE segment.
        image.AsSpan(0x28, 8).Fill(0x7f);
        using var file = ElfFile.FromBytes(image, "bogus shoff");
        Assert.Equal("01020304", file.GnuBuildIdHex);
        Assert.Equal(0, file.ReadSymbols().Count);
        Assert.Single(file.Problems);
    }

    [Fact]
    public void A_symbol_table_whose_size_overflows_the_file_is_noted_and_skipped()
    {
        var builder = new ElfImageBuilder(false, true).Function("f", 0x10, 4);
        var image = builder.Build();
        var symtabHeader = builder.SectionHeaderOffset + (ElfImageBuilder.SymtabSection * builder.SectionHeaderSize);
        BitConverter.GetBytes(0xffff_fff0u).CopyTo(image, symtabHeader + 20);
        using var file = ElfFile.FromBytes(image, "huge symtab");
        Assert.Equal(0, file.ReadSymbols().Count);
        Assert.Contains(file.Problems, p => p.Contains(".symtab", StringComparison.Ordinal));
    }

    [Fact]
    public void Counts_that_overflow_the_table_size_are_refused_without_overflow()
    {
        var builder = new ElfImageBuilder(true, true).Function("f", 0x10, 4);
        var image = builder.Build();
        BitConverter.GetBytes((ushort)0xffff).CopyTo(image, 0x3c); // e_shnum
        BitConverter.GetBytes((ushort)0xffff).CopyTo(image, 0x36); // e_phentsize
        BitConverter.GetBytes((ushort)0xfffe).CopyTo(image, 0x38); // e_phnum
        BitConverter.GetBytes(ulong.MaxValue - 8).CopyTo(image, 0x20); // e_phoff
        using var file = ElfFile.FromBytes(image, "overflowing counts");
        Assert.Empty(file.LoadSegments);
        Assert.Equal(0, file.ReadSymbols().Count);
        Assert.Equal(2, file.Problems.Count);
    }
}
