using Collector.Processors.Elf;
using Collector.Processors.Tests.Elf.Support;

namespace Collector.Processors.Tests.Elf;

/// <summary>Function symbols of real binaries against readelf and nm: every function found, aliases chosen by the documented rule.</summary>
[Collection(CompiledBinariesCollection.Name)]
public sealed class SymbolTableTests(CompiledBinaries binaries, ITestOutputHelper output)
{
    [Fact]
    public void The_known_functions_are_found_at_the_addresses_nm_gives()
    {
        binaries.Require();
        var nm = Binutils.NmTextSymbols(binaries.Program);
        using var file = ElfFile.Open(binaries.Program);
        var table = file.ReadSymbols();
        foreach (var name in new[] { "leaf_hot", "leaf_cold", "local_helper", "main", "picked" })
        {
            Assert.True(table.TryFind(nm[name], out var symbol), name);
            Assert.Equal((name, nm[name]), (symbol.Name, symbol.Start));
            Assert.True(table.TryFind(nm[name] + symbol.Size - 1, out var last));
            Assert.Equal(name, last.Name);
        }
        // mid has a global alias with a longer name and a weak one: the shorter global name is chosen.
        Assert.Equal(nm["mid"], nm["mid_alias"]);
        Assert.Equal(nm["mid"], nm["weak_mid"]);
        Assert.True(table.TryFind(nm["mid"] + 1, out var mid));
        Assert.Equal("mid", mid.Name);
    }

    [Fact]
    public void Every_function_of_the_program_is_found_with_the_rule_chosen_alias()
    {
        binaries.Require();
        AssertMatchesReadelf(binaries.Program);
    }

    [Fact]
    public void A_stripped_shared_object_is_named_from_dynsym()
    {
        binaries.Require();
        using var file = ElfFile.Open(binaries.SharedObject);
        Assert.False(file.HasSymtab);
        var table = AssertMatchesReadelf(binaries.SharedObject);
        Assert.Contains(Enumerable.Range(0, table.Count).Select(i => table[i].Name), name => name == "leaf_hot");
    }

    [Fact]
    public void Libc_functions_are_all_found_from_dynsym()
    {
        binaries.Require();
        ExternalTools.Require(File.Exists(CompiledBinaries.Libc), $"{CompiledBinaries.Libc} does not exist (not an x86-64 Debian system)");
        var table = AssertMatchesReadelf(CompiledBinaries.Libc);
        Assert.True(table.Count > 1000, $"only {table.Count} functions in libc");
    }

    [Fact]
    public void Cross_compiled_32_bit_and_big_endian_functions_are_found()
    {
        binaries.Require(cross: true);
        foreach (var (name, _) in CompiledBinaries.CrossTargets)
        {
            var table = AssertMatchesReadelf(binaries.File(name));
            var nm = Binutils.NmTextSymbols(binaries.File(name));
            Assert.True(table.TryFind(nm["f2"], out var f2));
            Assert.Equal("f2", f2.Name);
        }
    }

    [Fact]
    public void The_debug_file_names_what_the_stripped_program_cannot()
    {
        binaries.Require();
        var nm = Binutils.NmTextSymbols(binaries.Program);
        using var stripped = ElfFile.Open(binaries.StrippedProgram);
        Assert.False(stripped.ReadSymbols().TryFind(nm["leaf_hot"], out _));
        using var debug = ElfFile.Open(binaries.DebugFile);
        Assert.True(debug.ReadSymbols().TryFind(nm["leaf_hot"] + 2, out var symbol));
        Assert.Equal("leaf_hot", symbol.Name);
    }

    [Fact]
    public void Repeated_lookups_allocate_nothing()
    {
        binaries.Require();
        using var file = ElfFile.Open(binaries.Program);
        var table = file.ReadSymbols();
        var addresses = Enumerable.Range(0, table.Count).Select(i => table[i].Start + 1).ToArray();
        var found = 0;
        foreach (var address in addresses) found += table.TryFind(address, out _) ? 1 : 0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var round = 0; round < 100; round++)
        {
            foreach (var address in addresses) found += table.TryFind(address, out _) ? 1 : 0;
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(101 * addresses.Length, found);
    }

    /// <summary>
    /// Every FUNC/IFUNC readelf lists (defined, non-zero) is found at its own address under the name the alias rule
    /// picks; addresses inside a sized function find it unless a nested symbol starts there.
    /// </summary>
    private SymbolTable AssertMatchesReadelf(string path)
    {
        using var file = ElfFile.Open(path);
        var table = file.ReadSymbols();
        var expected = Binutils.FunctionsByAddress(path);
        Assert.NotEmpty(expected);
        Assert.Equal(expected.Count, table.Count);
        var starts = expected.Keys.Order().ToArray();
        for (var i = 0; i < starts.Length; i++)
        {
            var aliases = expected[starts[i]];
            Assert.True(table.TryFind(starts[i], out var symbol), $"{path}: nothing at {starts[i]:x} ({aliases[0].Name})");
            Assert.Equal((aliases[0].Name, starts[i], aliases.Max(a => a.Size)), (symbol.Name, symbol.Start, symbol.Size));
            var last = starts[i] + symbol.Size - 1;
            if (symbol.Size > 1 && (i + 1 == starts.Length || starts[i + 1] > last))
            {
                Assert.True(table.TryFind(last, out var inside));
                Assert.Equal(symbol.Name, inside.Name);
            }
        }
        Assert.Equal(0, table.IgnoredCount);
        output.WriteLine($"{Path.GetFileName(path)}: {table.Count} function addresses agree with readelf -s");
        return table;
    }
}
