using Collector.Processors.ResourceDetection;

namespace Collector.Processors.Tests.ResourceDetection;

public class EnvDetectorTests
{
    [Fact]
    public void Pairs_are_trimmed_and_values_percent_decoded_with_plus_kept()
    {
        var attributes = EnvDetector.Parse(" service.name = shop api , k8s.namespace.name=prod%2Ceu,note=a%3Db+c%20%E2%9C%93 ,", out var problem);

        Assert.Null(problem);
        Assert.Equal(["service.name=shop api", "k8s.namespace.name=prod,eu", "note=a=b+c ✓"], attributes.Select(a => $"{a.Key}={a.Value}"));
    }

    [Fact]
    public void An_empty_value_is_kept_and_a_repeated_key_takes_the_last_value()
    {
        var attributes = EnvDetector.Parse("a=,b=1,b=2", out var problem);

        Assert.Null(problem);
        Assert.Equal(["a=", "b=2"], attributes.Select(a => $"{a.Key}={a.Value}"));
    }

    [Fact]
    public void Unset_or_blank_gives_nothing_and_no_problem()
    {
        Assert.Empty(EnvDetector.Parse(null, out var unset));
        Assert.Empty(EnvDetector.Parse("  ", out var blank));
        Assert.Null(unset);
        Assert.Null(blank);
    }

    [Theory]
    [InlineData("a=1,b", "entry 1 \"b\" is not key=value")]
    [InlineData("=1", "entry 0 \"=1\" is not key=value")]
    [InlineData("a=1,b=100%", "entry 1 \"b=100%\" has a value that is not percent-encoded UTF-8")]
    [InlineData("a=%zz", "entry 0 \"a=%zz\" has a value that is not percent-encoded UTF-8")]
    [InlineData("a=%C3", "entry 0 \"a=%C3\" has a value that is not percent-encoded UTF-8")]
    public void A_malformed_entry_discards_the_whole_variable_and_says_why(string text, string expected)
    {
        Assert.Empty(EnvDetector.Parse(text, out var problem));
        Assert.Equal(expected, problem);
    }
}
