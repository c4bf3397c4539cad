using Collector.Config.Binding;
using Collector.Config.Tests.Fakes;

namespace Collector.Config.Tests.Binding;

public sealed class ScalarConverterTests
{
    public static TheoryData<Type, string, object> Conversions => new()
    {
        { typeof(string), "08", "08" },
        { typeof(bool), "true", true },
        { typeof(bool), "False", false },
        { typeof(bool), "TRUE", true },
        { typeof(int), "-2147483648", int.MinValue },
        { typeof(int), "+42", 42 },
        { typeof(long), "9223372036854775807", long.MaxValue },
        { typeof(uint), "4294967295", uint.MaxValue },
        { typeof(ulong), "18446744073709551615", ulong.MaxValue },
        { typeof(double), "1.5", 1.5 },
        { typeof(double), "1e3", 1000.0 },
        { typeof(double), "-7", -7.0 },
        { typeof(TimeSpan), "1m", TimeSpan.FromMinutes(1) },
        { typeof(ReplayMode), "forever", ReplayMode.Forever },
        { typeof(ReplayMode), "until_empty", ReplayMode.UntilEmpty },
        { typeof(ReplayMode), "UNTIL_EMPTY", ReplayMode.UntilEmpty },
        { typeof(ReplayMode), "UntilEmpty", ReplayMode.UntilEmpty },
        { typeof(ReplayMode), "untilempty", ReplayMode.UntilEmpty },
    };

    [Theory]
    [MemberData(nameof(Conversions))]
    public void Converts_text_to_the_property_type(Type type, string text, object expected)
    {
        Assert.True(ScalarConverter.TryConvert(type, text, out var value, out var problem), problem);
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData(typeof(bool), "yes", "expected a boolean (true or false), got \"yes\"")]
    [InlineData(typeof(bool), "1", "expected a boolean (true or false), got \"1\"")]
    [InlineData(typeof(int), "1.0", "expected an integer, got \"1.0\"")]
    [InlineData(typeof(int), "0x10", "expected an integer, got \"0x10\"")]
    [InlineData(typeof(int), "2147483648", "expected an integer between -2147483648 and 2147483647, got \"2147483648\"")]
    [InlineData(typeof(long), "9223372036854775808", "expected an integer between -9223372036854775808 and 9223372036854775807, got \"9223372036854775808\"")]
    [InlineData(typeof(uint), "-1", "expected an integer between 0 and 4294967295, got \"-1\"")]
    [InlineData(typeof(ulong), "18446744073709551616", "expected an integer between 0 and 18446744073709551615, got \"18446744073709551616\"")]
    [InlineData(typeof(double), "NaN", "expected a number, got \"NaN\"")]
    [InlineData(typeof(double), "1,5", "expected a number, got \"1,5\"")]
    [InlineData(typeof(TimeSpan), "5", "expected a duration such as 5s or 200ms, got \"5\" (add a unit: ns, us, ms, s, m or h)")]
    [InlineData(typeof(TimeSpan), "later", "expected a duration such as 5s or 200ms, got \"later\"")]
    [InlineData(typeof(ReplayMode), "until-empty", "expected one of: once, forever, until_empty, got \"until-empty\"")]
    [InlineData(typeof(ReplayMode), "1", "expected one of: once, forever, until_empty, got \"1\"")]
    public void Says_what_was_expected(Type type, string text, string expected)
    {
        Assert.False(ScalarConverter.TryConvert(type, text, out _, out var problem));
        Assert.Equal(expected, problem);
    }
}
