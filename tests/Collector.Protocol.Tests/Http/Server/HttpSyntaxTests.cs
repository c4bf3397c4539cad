using Collector.Protocol.Http.Server;
using Microsoft.Extensions.Primitives;

namespace Collector.Protocol.Tests.Http.Server;

public class HttpSyntaxTests
{
    [Theory]
    [InlineData("close", true)]
    [InlineData(" Close ", true)]
    [InlineData("keep-alive, close", true)]
    [InlineData("keep-alive,close", true)]
    [InlineData("closed", false)]
    [InlineData("keep-alive", false)]
    [InlineData("", false)]
    public void Finds_a_token_in_a_comma_separated_list_in_any_case(string value, bool found) =>
        Assert.Equal(found, HttpSyntax.HasToken(value, "close"));

    [Fact]
    public void Looks_through_every_value_of_a_repeated_header() =>
        Assert.True(HttpSyntax.HasToken(new StringValues(["Upgrade", "Close"]), "close"));

    [Theory]
    [InlineData("Content-Type", true)]
    [InlineData("X_Custom.1~", true)]
    [InlineData("Bad Name", false)]
    [InlineData("Bad:Name", false)]
    [InlineData("Bad(Name)", false)]
    public void Tells_tokens_from_other_text(string text, bool token)
    {
        Assert.Equal(token, !text.AsSpan().ContainsAnyExcept(HttpSyntax.TokenChars));
        Assert.Equal(token, !System.Text.Encoding.ASCII.GetBytes(text).AsSpan().ContainsAnyExcept(HttpSyntax.TokenBytes));
    }

    [Theory]
    [InlineData(0x09, true)]
    [InlineData(0x20, true)]
    [InlineData(0x7E, true)]
    [InlineData(0x80, true)]
    [InlineData(0xFF, true)]
    [InlineData(0x00, false)]
    [InlineData(0x0A, false)]
    [InlineData(0x0D, false)]
    [InlineData(0x1F, false)]
    [InlineData(0x7F, false)]
    public void Field_values_allow_tab_visible_ascii_space_and_obs_text_the_same_for_bytes_and_chars(int value, bool allowed)
    {
        Assert.Equal(allowed, HttpSyntax.FieldValueBytes.Contains((byte)value));
        Assert.Equal(allowed, HttpSyntax.FieldValueChars.Contains((char)value));
    }

    [Fact]
    public void No_character_beyond_latin1_is_a_field_value() =>
        Assert.False(HttpSyntax.FieldValueChars.Contains('\u0100'));
}
