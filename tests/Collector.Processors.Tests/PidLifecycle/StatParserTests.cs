using Collector.Processors.PidLifecycle;

namespace Collector.Processors.Tests.PidLifecycle;

public class StatParserTests
{
    [Fact]
    public void Start_time_is_field_22_counted_after_the_comm()
    {
        const string stat = "19840 (cat) R 19835 19835 17129 0 -1 4194304 100 0 0 0 0 0 0 0 20 0 1 0 1634462 3133440 382 18446744073709551615";

        Assert.True(StatParser.TryParseStartTicks(stat, out var ticks));
        Assert.Equal(1634462UL, ticks);
    }

    [Fact]
    public void A_comm_with_spaces_and_parentheses_does_not_shift_the_fields()
    {
        const string stat = "42 (my (odd) name ) S 1 42 42 0 -1 4194304 0 0 0 0 0 0 0 0 20 0 1 0 777 0 0";

        Assert.True(StatParser.TryParseStartTicks(stat, out var ticks));
        Assert.Equal(777UL, ticks);
    }

    [Theory]
    [InlineData("")]
    [InlineData("42 (short) S 1 2 3")]
    [InlineData("no parenthesis at all")]
    [InlineData("42 (x) S 1 42 42 0 -1 4194304 0 0 0 0 0 0 0 0 20 0 1 0 notanumber 0")]
    public void Malformed_stat_is_refused(string stat) => Assert.False(StatParser.TryParseStartTicks(stat, out _));

    [Fact]
    public void Boot_time_nanoseconds_compare_with_proc_at_tick_resolution()
    {
        // The kernel prints start_boottime / (1e9 / USER_HZ), truncating.
        Assert.Equal(1634462UL, StatParser.ToTicks(16_344_629_999_999));
        Assert.Equal(1634462UL, StatParser.ToTicks(16_344_620_000_000));
        Assert.Equal(1634463UL, StatParser.ToTicks(16_344_630_000_000));
    }

    [Fact]
    public void This_process_start_agrees_with_its_stat()
    {
        var reader = new ProcReader("/proc");

        Assert.True(StatParser.TryParseStartTicks(File.ReadAllText("/proc/self/stat"), out var ticks));
        Assert.Equal(ticks, reader.ReadStartTicks(Environment.ProcessId));
    }
}
