using Collector.Processors.Elf;
using Collector.Processors.Tests.Elf.Support;

namespace Collector.Processors.Tests.Elf;

/// <summary>The coverage and alias rules of <see cref="SymbolTable"/> on crafted images, in all four class/byte-order combinations.</summary>
public sealed class SymbolTableRulesTests
{
    public static TheoryData<bool, bool> Layouts => new() { { true, true }, { true, false }, { false, true }, { false, false } };

    [Theory]
    [MemberData(nameof(Layouts))]
    public void A_symbol_covers_its_size_and_a_gap_belongs_to_nobody(bool is64Bit, bool littleEndian)
    {
        var builder = new ElfImageBuilder(is64Bit, littleEndian).Function("first", 0x10, 0x20).Function("second", 0x40, 0x10);
        var table = Read(builder);
        var text = builder.TextAddress;
        Assert.Equal("first", Find(table, text + 0x10));
        Assert.Equal("first", Find(table, text + 0x2f));
        Assert.Null(Find(table, text + 0x30));
        Assert.Null(Find(table, text + 0x0f));
        Assert.Equal("second", Find(table, text + 0x4f));
        Assert.Null(Find(table, text + 0x50));
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void A_zero_sized_symbol_extends_to_the_next_one_or_its_section_end(bool is64Bit, bool littleEndian)
    {
        var builder = new ElfImageBuilder(is64Bit, littleEndian) { TextSize = 0x100 }.Function("asm_entry", 0x10, 0).Function("after", 0x80, 0x8).Function("tail", 0xc0, 0);
        var table = Read(builder);
        var text = builder.TextAddress;
        Assert.Equal("asm_entry", Find(table, text + 0x7f));
        Assert.Equal("after", Find(table, text + 0x80));
        Assert.Equal("tail", Find(table, text + 0xff));
        Assert.Null(Find(table, text + 0x100));
        Assert.True(table.TryFind(text + 0x20, out var symbol));
        Assert.Equal(0ul, symbol.Size);
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void A_nested_symbol_wins_inside_and_the_enclosing_one_covers_after_it(bool is64Bit, bool littleEndian)
    {
        var builder = new ElfImageBuilder(is64Bit, littleEndian).Function("outer", 0x100, 0x100).Function("inner", 0x140, 0x20);
        var table = Read(builder);
        var text = builder.TextAddress;
        Assert.Equal("outer", Find(table, text + 0x13f));
        Assert.Equal("inner", Find(table, text + 0x150));
        Assert.Equal("outer", Find(table, text + 0x160));
        Assert.Equal("outer", Find(table, text + 0x1ff));
        Assert.Null(Find(table, text + 0x200));
    }

    [Fact]
    public void Aliases_resolve_by_binding_size_length_then_bytes_whatever_their_order()
    {
        (string Name, byte Bind, ulong Size)[] aliases =
        [
            ("ab", 0, 0x10), ("aa", 2, 0x10), ("zeta", 1, 0x10), ("beta", 1, 0x10), ("alpha", 1, 0x10), ("g", 1, 0), ("__libc_global_long", 1, 0x20),
        ];
        // "g" is global but declares no size; of the sized globals "zeta" and "beta" are shortest, "beta" first in byte order;
        // the shorter local and weak names lose on binding. The entry covers the largest size of all.
        for (var rotation = 0; rotation < aliases.Length; rotation++)
        {
            var builder = new ElfImageBuilder(true, true);
            foreach (var (name, bind, size) in aliases.Skip(rotation).Concat(aliases.Take(rotation))) builder.Function(name, 0x40, size, bind);
            var table = Read(builder);
            Assert.Equal(1, table.Count);
            Assert.True(table.TryFind(builder.TextAddress + 0x40 + 0x1f, out var symbol));
            Assert.Equal(("beta", 0x20ul), (symbol.Name, symbol.Size));
        }
    }

    [Fact]
    public void Undefined_zero_address_and_non_function_symbols_are_left_out()
    {
        var builder = new ElfImageBuilder(true, true)
            .Function("kept", 0x10, 4)
            .Function("kept_ifunc", 0x20, 4, type: 10)
            .Function("an_object", 0x30, 4, type: 1)
            .Function("no_type", 0x40, 4, type: 0)
            .Symbol("undefined", 0x500000, 4, bind: 1, type: 2, section: 0)
            .Symbol("at_zero", 0, 4, bind: 1, type: 2, section: 1);
        var table = Read(builder);
        Assert.Equal(["kept", "kept_ifunc"], Enumerable.Range(0, table.Count).Select(i => table[i].Name));
    }

    [Fact]
    public void Arm_thumb_functions_start_at_the_even_address()
    {
        var builder = new ElfImageBuilder(false, true) { Machine = 40 }.Function("thumb_function", 0x21, 0x10);
        var table = Read(builder);
        Assert.True(table.TryFind(builder.TextAddress + 0x20, out var symbol));
        Assert.Equal(("thumb_function", builder.TextAddress + 0x20), (symbol.Name, symbol.Start));
    }

    [Fact]
    public void A_name_that_runs_off_its_string_table_is_counted_not_read()
    {
        var builder = new ElfImageBuilder(true, true).Function("fine", 0x10, 4).Function("unterminated", 0x20, 4).UnterminatedStrings();
        using var file = ElfFile.FromBytes(builder.Build(), "crafted");
        var table = file.ReadSymbols();
        Assert.Equal(1, table.Count);
        Assert.Equal(1, table.IgnoredCount);
        Assert.Empty(file.Problems);
    }

    [Fact]
    public void An_empty_table_finds_nothing()
    {
        Assert.False(SymbolTable.Empty.TryFind(0x1234, out _));
        Assert.Equal(0, Read(new ElfImageBuilder(true, true)).Count);
    }

    private static SymbolTable Read(ElfImageBuilder builder)
    {
        using var file = ElfFile.FromBytes(builder.Build(), "crafted");
        Assert.Empty(file.Problems);
        return file.ReadSymbols();
    }

    private static string? Find(SymbolTable table, ulong address) => table.TryFind(address, out var symbol) ? symbol.Name : null;
}
