using Collector.Processors.Symbolization.Kernel;

namespace Collector.Processors.Tests.Symbolization.Kernel;

public class KallsymsParserTests
{
    internal static readonly string[] CoreAndE1000 =
    [
        "0000000000000000 A fixed_percpu_data",
        "ffffffff81000000 T _stext",
        "ffffffff81000000 T _text",
        "ffffffff81001000 T do_syscall_64",
        "ffffffff81001200 t helper_local",
        "ffffffff81002000 D some_data",
        "ffffffff81003000 T _etext",
        "ffffffffc0001000 t e1000_xmit\t[e1000]",
        "ffffffffc0001100 T e1000_probe\t[e1000]",
        "ffffffffc0001180 d e1000_table\t[e1000]",
    ];

    [Theory]
    [InlineData(0xffffffff81001000UL, "do_syscall_64", KernelSymbolTable.CoreKernelFile)]
    [InlineData(0xffffffff810011ffUL, "do_syscall_64", KernelSymbolTable.CoreKernelFile)]
    [InlineData(0xffffffff81002500UL, "helper_local", KernelSymbolTable.CoreKernelFile)] // data symbols do not end code
    [InlineData(0xffffffff81000010UL, "_stext", KernelSymbolTable.CoreKernelFile)] // of two aliases, the first listed
    [InlineData(0xffffffffc0001010UL, "e1000_xmit", "e1000")]
    [InlineData(0xffffffffc0001ff0UL, "e1000_probe", "e1000")] // a module's last symbol reaches the end of its page
    public void Text_symbols_of_the_kernel_and_its_modules_name_addresses(ulong address, string name, string file)
    {
        var table = KallsymsParser.Parse(new StringReader(string.Join('\n', CoreAndE1000)), out var malformed);
        Assert.Equal(0, malformed);
        Assert.True(table.TryFind(address, out var function, out var image));
        Assert.Equal(name, function.SystemName);
        Assert.Equal(name, function.Name);
        Assert.Equal(file, image.Filename);
    }

    [Theory]
    [InlineData(0xffffffff80000000UL)] // below the kernel
    [InlineData(0xffffffff81003100UL)] // past _etext
    [InlineData(0xffffffffc0002000UL)] // past the module's last page: a module this read did not see
    [InlineData(0xffffffffc0100000UL)]
    public void Addresses_outside_known_code_are_not_named(ulong address)
    {
        var table = KallsymsParser.Parse(new StringReader(string.Join('\n', CoreAndE1000)), out _);
        Assert.False(table.TryFind(address, out _, out _));
    }

    [Fact]
    public void Frames_of_one_image_share_one_mapping_and_one_function_per_symbol()
    {
        var table = KallsymsParser.Parse(new StringReader(string.Join('\n', CoreAndE1000)), out _);
        Assert.True(table.TryFind(0xffffffffc0001010, out var first, out var firstImage));
        Assert.True(table.TryFind(0xffffffffc0001020, out var second, out var secondImage));
        Assert.True(table.TryFind(0xffffffffc0001110, out _, out var thirdImage));
        Assert.Same(first, second);
        Assert.Same(firstImage, secondImage);
        Assert.Same(firstImage, thirdImage);
        Assert.Equal(1, table.ModuleCount);
    }

    [Fact]
    public void All_zero_addresses_mean_the_kernel_hides_them()
    {
        var hidden = CoreAndE1000.Select(line => "0000000000000000" + line[16..]);
        var table = KallsymsParser.Parse(new StringReader(string.Join('\n', hidden)), out _);
        Assert.True(table.AddressesHidden);
        Assert.False(table.TryFind(0, out _, out _));
    }

    [Fact]
    public void Malformed_lines_are_skipped_and_counted()
    {
        var table = KallsymsParser.Parse(new StringReader("zzzz T bad\nffffffff81001000 T good\nffffffff81002000\nffffffff81003000 t mod\t[unterminated\n"), out var malformed);
        Assert.Equal(3, malformed);
        Assert.Equal(1, table.Count);
    }
}
