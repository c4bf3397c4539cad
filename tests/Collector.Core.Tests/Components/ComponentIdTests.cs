using Collector.Core.Components;

namespace Collector.Core.Tests.Components;

public class ComponentIdTests
{
    [Theory]
    [InlineData("file", "file", "")]
    [InlineData("otlp_grpc/backend", "otlp_grpc", "backend")]
    [InlineData("debug/2", "debug", "2")]
    [InlineData("file/a/b", "file", "a/b")]
    public void Parses_type_and_name(string text, string type, string name)
    {
        var id = ComponentId.Parse(text);
        Assert.Equal(type, id.Type);
        Assert.Equal(name, id.Name);
        Assert.Equal(text, id.ToString());
    }

    [Theory]
    [InlineData("", "the type must start with a letter")]
    [InlineData("1file", "the type must start with a letter")]
    [InlineData("fi-le", "the type must start with a letter")]
    [InlineData("file/", "the name after '/' must be non-empty")]
    [InlineData("file/a b", "the name after '/' must be non-empty")]
    [InlineData("/name", "the type must start with a letter")]
    public void Rejects_malformed_ids_with_a_reason(string text, string reason)
    {
        Assert.False(ComponentId.TryParse(text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
        Assert.StartsWith($"invalid component id \"{text}\"", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Type_longer_than_63_characters_is_rejected()
    {
        Assert.True(ComponentId.TryParse("a" + new string('b', 62), out _, out _));
        Assert.False(ComponentId.TryParse("a" + new string('b', 63), out _, out _));
    }
}
