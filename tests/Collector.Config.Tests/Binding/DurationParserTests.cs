using Collector.Config.Binding;

namespace Collector.Config.Tests.Binding;

public sealed class DurationParserTests
{
    public static TheoryData<string, TimeSpan> ValidDurations => new()
    {
        { "5s", TimeSpan.FromSeconds(5) },
        { "200ms", TimeSpan.FromMilliseconds(200) },
        { "1m30s", TimeSpan.FromSeconds(90) },
        { "1h", TimeSpan.FromHours(1) },
        { "2h45m", new TimeSpan(2, 45, 0) },
        { "1h0m0s", TimeSpan.FromHours(1) },
        { "1.5s", TimeSpan.FromMilliseconds(1500) },
        { ".5s", TimeSpan.FromMilliseconds(500) },
        { "0", TimeSpan.Zero },
        { "0s", TimeSpan.Zero },
        { "-1.5h", TimeSpan.FromMinutes(-90) },
        { "+3m", TimeSpan.FromMinutes(3) },
        { "250us", TimeSpan.FromMicroseconds(250) },
        { "250\u00b5s", TimeSpan.FromMicroseconds(250) },
        { "250\u03bcs", TimeSpan.FromMicroseconds(250) },
        { "300ns", TimeSpan.FromTicks(3) },
        { "150ns", TimeSpan.FromTicks(1) },
        { "1s500ms", TimeSpan.FromMilliseconds(1500) },
    };

    [Theory]
    [MemberData(nameof(ValidDurations))]
    public void Parses_go_durations(string text, TimeSpan expected)
    {
        Assert.True(DurationParser.TryParse(text, out var duration));
        Assert.Equal(expected, duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("5")]
    [InlineData("1.5")]
    [InlineData("s")]
    [InlineData("ms")]
    [InlineData("5x")]
    [InlineData("5 s")]
    [InlineData("5S")]
    [InlineData("1.2.3s")]
    [InlineData("--5s")]
    [InlineData(".s")]
    [InlineData("5s3")]
    [InlineData("99999999999999999999h")]
    public void Rejects_anything_else(string text)
    {
        Assert.False(DurationParser.TryParse(text, out _));
    }

    [Theory]
    [InlineData("5", true)]
    [InlineData("1.5", true)]
    [InlineData("5s", false)]
    [InlineData("soon", false)]
    public void Knows_a_number_that_only_lacks_its_unit(string text, bool bare)
    {
        Assert.Equal(bare, DurationParser.IsBareNumber(text));
    }
}
