using System.Text;
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

    private static readonly string LongName = "f" + new string('x', 200_000);

    [Theory]
    [InlineData(0xffffffff81001000UL, "do_syscall_64", KernelSymbolTable.CoreKernelFile)]
    [InlineData(0xffffffff810011ffUL, "do_syscall_64", KernelSymbolTable.CoreKernelFile)]
    [InlineData(0xffffffff81002500UL, "helper_local", KernelSymbolTable.CoreKernelFile)] // data symbols do not end code
    [InlineData(0xffffffff81000010UL, "_stext", KernelSymbolTable.CoreKernelFile)] // of two aliases, the first listed
    [InlineData(0xffffffffc0001010UL, "e1000_xmit", "e1000")]
    [InlineData(0xffffffffc0001ff0UL, "e1000_probe", "e1000")] // a module's last symbol reaches the end of its page
    public void Text_symbols_of_the_kernel_and_its_modules_name_addresses(ulong address, string name, string file)
    {
        var table = Parse(string.Join('\n', CoreAndE1000), out var malformed);
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
        var table = Parse(string.Join('\n', CoreAndE1000), out _);
        Assert.False(table.TryFind(address, out _, out _));
    }

    [Fact]
    public void Frames_of_one_image_share_one_mapping_and_one_function_per_symbol()
    {
        var table = Parse(string.Join('\n', CoreAndE1000), out _);
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
        var table = Parse(string.Join('\n', hidden), out _);
        Assert.True(table.AddressesHidden);
        Assert.False(table.TryFind(0, out _, out _));
    }

    [Fact]
    public void Malformed_lines_are_skipped_and_counted()
    {
        var table = Parse("zzzz T bad\nffffffff81001000 T good\nffffffff81002000\nffffffff81003000 t mod\t[unterminated\n", out var malformed);
        Assert.Equal(3, malformed);
        Assert.Equal(1, table.Count);
    }

    [Theory]
    [InlineData("FFFFFFFF81001000 T upper", 0xffffffff81001000UL)]
    [InlineData("81001000 T short", 0x81001000UL)] // a 32-bit kernel
    [InlineData("0ffffffff81001000 T leading_zero", 0xffffffff81001000UL)]
    public void Addresses_are_hexadecimal_of_any_case_and_length_that_fits(string line, ulong address)
    {
        var table = Parse(line, out var malformed);
        Assert.Equal(0, malformed);
        Assert.Equal(line[(line.LastIndexOf(' ') + 1)..], NameAt(table, address));
    }

    [Theory]
    [InlineData("1ffffffff81001000 T too_large")]
    [InlineData("0xffffffff81001000 T prefixed")]
    [InlineData("ffffffff8100100g T not_hex")]
    public void Addresses_that_are_not_64_bit_hexadecimal_are_malformed(string line)
    {
        Parse(line, out var malformed);
        Assert.Equal(1, malformed);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(40)]
    public void Lines_split_across_reads_are_read_whole(int maxRead)
    {
        var text = string.Join('\n', CoreAndE1000);
        var whole = Parse(text, out _);
        var split = Parse(text, out var malformed, maxRead);
        Assert.Equal(0, malformed);
        Assert.Equal(whole.Count, split.Count);
        Assert.Equal(whole.ModuleCount, split.ModuleCount);
        foreach (var address in new[] { 0xffffffff81000010UL, 0xffffffff81001000, 0xffffffff81002500, 0xffffffffc0001010, 0xffffffffc0001ff0 })
        {
            Assert.True(whole.TryFind(address, out var expected, out var expectedImage));
            Assert.True(split.TryFind(address, out var function, out var image));
            Assert.Equal((expected.Name, expectedImage.Filename), (function.Name, image.Filename));
        }
    }

    /// <summary>What, text, bytes per read, malformed lines, symbols, and the name of one address.</summary>
    public static TheoryData<string, string, int, int, int, ulong, string> TextEdgeCases => new()
    {
        { "no line end after the last line", "ffffffff81001000 T first\nffffffff81001100 T last", int.MaxValue, 0, 2, 0xffffffff81001110, "last" },
        {
            "\\r\\n and \\r end lines as TextReader.ReadLine ends them",
            "ffffffff81001000 T first\r\n\r\nffffffff81001100 t second\t[e1000]\r\nffffffff81001200 T third\r", int.MaxValue, 0, 3, 0xffffffff81001200, "third"
        },
        {
            "lines far longer than a read",
            $"ffffffff81001000 T {LongName}\n{new string('z', 300_000)}\nffffffff81002000 T after", 4096, 1, 2, 0xffffffff81001000, LongName
        },
        { "a no-break space is white space to string.Trim", "ffffffff81001000 T \u00a0padded\u00a0", int.MaxValue, 0, 1, 0xffffffff81001000, "padded" },
        { "a two-byte type is one character: not code, not malformed", "ffffffff81002000 \u00e9 not_code\nffffffff81003000 T next", int.MaxValue, 0, 1, 0xffffffff81003000, "next" },
    };

    [Theory]
    [MemberData(nameof(TextEdgeCases))]
    public void Lines_are_judged_as_the_text_a_TextReader_decodes(string what, string text, int maxRead, int malformed, int count, ulong address, string name)
    {
        var table = Parse(text, out var malformedLines, maxRead);
        var actual = (malformedLines, table.Count, NameAt(table, address));
        Assert.True((malformed, count, name) == actual, $"{what}: got {actual}");
    }

    [Fact]
    public void Names_that_are_not_ASCII_are_decoded_as_UTF8_and_bad_bytes_replaced()
    {
        byte[] bad = [0xff, 0xfe];
        var text = Encoding.UTF8.GetBytes("ffffffff81001000 T caf\u00e9_\u4e2d\nffffffffc0001000 t x\t[m\u00f6d]\nffffffff81002000 T bad_")
            .Concat(bad).Concat("\n"u8.ToArray()).ToArray();
        var table = KallsymsParser.Parse(new MemoryStream(text), out var malformed);
        Assert.Equal(0, malformed);
        Assert.Equal("caf\u00e9_\u4e2d", NameAt(table, 0xffffffff81001000));
        Assert.Equal("m\u00f6d", FileAt(table, 0xffffffffc0001000));
        Assert.Equal("bad_\ufffd\ufffd", NameAt(table, 0xffffffff81002000));
    }

    [Theory]
    [InlineData("", 0)] // an empty file
    [InlineData("garbage\n\nffffffff81001000 T\nffffffff81001000  T two_spaces\n\t[e1000]\n", 4)] // only malformed lines
    public void Text_without_symbols_gives_an_empty_table_with_its_malformed_lines_counted(string text, int malformed)
    {
        var table = Parse(text, out var malformedLines);
        Assert.Equal(malformed, malformedLines);
        Assert.Equal(0, table.Count);
        Assert.False(table.AddressesHidden); // no symbols: nothing says the kernel hides them
        Assert.False(table.TryFind(0xffffffff81001000, out _, out _));
    }

    [Fact]
    public void Symbols_listed_out_of_address_order_are_sorted_and_the_first_listed_alias_wins()
    {
        var table = Parse("ffffffffc0001000 t mod_fn\t[e1000]\nffffffff81002000 T later\nffffffff81001000 T alias_first\nffffffff81001000 T alias_second\nffffffff81003000 T _etext", out _);
        Assert.Equal("alias_first", NameAt(table, 0xffffffff81001ff0));
        Assert.Equal("later", NameAt(table, 0xffffffff81002ff0));
        Assert.False(table.TryFind(0xffffffff81003000, out _, out _));
        Assert.Equal("mod_fn", NameAt(table, 0xffffffffc0001010));
    }

    [Fact]
    public void A_module_listed_again_later_is_the_same_image()
    {
        var table = Parse("ffffffffc0001000 t a\t[e1000]\nffffffffc0002000 t b\t[nf_tables]\nffffffffc0001100 t c\t[e1000]", out _);
        Assert.Equal(2, table.ModuleCount);
        Assert.True(table.TryFind(0xffffffffc0001000, out _, out var first));
        Assert.True(table.TryFind(0xffffffffc0001100, out _, out var again));
        Assert.Same(first, again);
    }

    /// <summary>The name of the function containing <paramref name="address"/>, or null if none does.</summary>
    private static string? NameAt(KernelSymbolTable table, ulong address) =>
        table.TryFind(address, out var function, out _) ? function.Name : null;

    /// <summary>The file of the image (core kernel or module) containing <paramref name="address"/>, or null if none does.</summary>
    private static string? FileAt(KernelSymbolTable table, ulong address) =>
        table.TryFind(address, out _, out var image) ? image.Filename : null;

    internal static KernelSymbolTable Parse(string text, out int malformed, int maxRead = int.MaxValue) =>
        KallsymsParser.Parse(new ProcLikeStream(Encoding.UTF8.GetBytes(text), maxRead), out malformed);
}
