using Collector.Protocol.Grpc;

namespace Collector.Protocol.Tests.Grpc;

public class GrpcTimeoutTests
{
    [Theory]
    [InlineData("1H", 36_000_000_000L)]
    [InlineData("2M", 1_200_000_000L)]
    [InlineData("5S", 50_000_000L)]
    [InlineData("250m", 2_500_000L)]
    [InlineData("7u", 70L)]
    [InlineData("100n", 1L)]
    [InlineData("1n", 1L)]
    [InlineData("0n", 0L)]
    [InlineData("0S", 0L)]
    [InlineData("00000005S", 50_000_000L)]
    [InlineData("99999999H", 99_999_999L * 36_000_000_000L)]
    public void Parses_every_unit(string header, long ticks)
    {
        Assert.True(GrpcTimeout.TryParse(header, out var timeout));
        Assert.Equal(ticks, timeout.Ticks);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("S")]
    [InlineData("5")]
    [InlineData("5s")]
    [InlineData("5h")]
    [InlineData("5 S")]
    [InlineData("-5S")]
    [InlineData("+5S")]
    [InlineData("1.5S")]
    [InlineData("123456789S")]
    [InlineData("５S")]
    public void Rejects_what_the_grammar_does_not_allow(string? header)
    {
        Assert.False(GrpcTimeout.TryParse(header, out _));
    }

    [Theory]
    [InlineData(0L, "0n")]
    [InlineData(-5L, "0n")]
    [InlineData(1L, "100n")]
    [InlineData(999_999L, "99999900n")]
    [InlineData(1_000_000L, "100000u")]
    [InlineData(50_000_000L, "5000000u")]
    [InlineData(50_000_001L, "5000001u")]
    [InlineData(1_000_000_001L, "100001m")]
    [InlineData(300L * 10_000_000, "300000m")]
    [InlineData(3L * 3600 * 10_000_000, "10800000m")]
    [InlineData(30L * 24 * 3600 * 10_000_000, "2592000S")]
    public void Formats_with_the_finest_unit_that_fits_eight_digits_rounding_up(long ticks, string expected)
    {
        Assert.Equal(expected, GrpcTimeout.Format(TimeSpan.FromTicks(ticks)));
    }

    [Fact]
    public void The_longest_timeouts_are_capped_at_the_largest_value()
    {
        Assert.Equal("99999999H", GrpcTimeout.Format(TimeSpan.MaxValue));
    }

    [Theory]
    [InlineData(1L)]
    [InlineData(12_345L)]
    [InlineData(50_000_000L)]
    [InlineData(12_345_678_901L)]
    [InlineData(987_654_321_012_345L)]
    public void A_formatted_timeout_parses_back_to_no_less_than_it_was(long ticks)
    {
        Assert.True(GrpcTimeout.TryParse(GrpcTimeout.Format(TimeSpan.FromTicks(ticks)), out var parsed));
        Assert.True(parsed.Ticks >= ticks);
        // Rounding to eight significant digits costs at most one part in ten million.
        Assert.True(parsed.Ticks - ticks <= Math.Max(1, ticks / 10_000_000));
    }
}
