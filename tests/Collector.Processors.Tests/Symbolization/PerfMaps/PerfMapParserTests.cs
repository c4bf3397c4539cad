using Collector.Processors.Symbolization.PerfMaps;

namespace Collector.Processors.Tests.Symbolization.PerfMaps;

public class PerfMapParserTests
{
    [Fact]
    public void Entries_name_the_addresses_they_cover_and_names_may_contain_spaces()
    {
        var table = PerfMapParser.Parse(new StringReader(
            "7f3a40001000 80 [PreJIT] instance int32 Program::Hot(int32)[Optimized]\n" +
            "7f3a40000000 40 stub<1> AllocateTemporaryEntryPoints\n"), out var malformed);
        Assert.Equal(0, malformed);
        Assert.Equal(2, table.Count);
        Assert.True(table.TryFind(0x7f3a4000107f, out var hot));
        Assert.Equal("[PreJIT] instance int32 Program::Hot(int32)[Optimized]", hot.Name);
        Assert.Equal(hot.Name, hot.SystemName);
        Assert.True(table.TryFind(0x7f3a40000000, out var stub));
        Assert.Equal("stub<1> AllocateTemporaryEntryPoints", stub.Name);
        Assert.False(table.TryFind(0x7f3a40001080, out _)); // one past the end
        Assert.False(table.TryFind(0x7f3a40000040, out _)); // between entries
    }

    [Fact]
    public void Of_two_entries_at_one_address_the_later_one_names_it()
    {
        var table = PerfMapParser.Parse(new StringReader("1000 10 Tier0 Foo\n1000 20 Tier1 Foo\n"), out _);
        Assert.True(table.TryFind(0x1018, out var function));
        Assert.Equal("Tier1 Foo", function.Name);
    }

    [Fact]
    public void Malformed_lines_such_as_a_half_written_last_line_are_skipped_and_counted()
    {
        var table = PerfMapParser.Parse(new StringReader("0x2000 10 Tolerated\nzz 10 bad\n3000 0 empty\n4000 10\n5000 1"), out var malformed);
        Assert.Equal(4, malformed);
        Assert.Equal(1, table.Count);
        Assert.True(table.TryFind(0x2005, out _));
    }
}
