using Collector.Protocol.Grpc;

namespace Collector.Protocol.Tests.Grpc;

public class GrpcMessageTextTests
{
    [Theory]
    [InlineData("", "")]
    [InlineData("index 17 is out of range", "index 17 is out of range")]
    [InlineData("50% full", "50%25 full")]
    [InlineData("line\nbreak", "line%0Abreak")]
    [InlineData("tab\tend~", "tab%09end~")]
    [InlineData("naïve", "na%C3%AFve")]
    [InlineData("😀", "%F0%9F%98%80")]
    public void Encodes_bytes_outside_printable_ascii_and_the_percent_sign(string text, string encoded)
    {
        Assert.Equal(encoded, GrpcMessageText.Encode(text));
        Assert.Equal(text, GrpcMessageText.Decode(encoded));
    }

    [Theory]
    [InlineData(null, "")]
    [InlineData("100%", "100%")]
    [InlineData("%zz and %4", "%zz and %4")]
    [InlineData("%e2%82%ac lower-case hex", "€ lower-case hex")]
    [InlineData("%FF", "\uFFFD")]
    [InlineData("raw é 😀", "raw é 😀")]
    public void Decodes_leniently_and_never_drops_the_message(string? encoded, string text)
    {
        Assert.Equal(text, GrpcMessageText.Decode(encoded));
    }

    [Fact]
    public void Every_encoded_character_is_allowed_in_a_header()
    {
        var all = new string(Enumerable.Range(0, 0x3000).Where(c => c is < 0xD800 or > 0xDFFF).Select(c => (char)c).ToArray());

        var encoded = GrpcMessageText.Encode(all);

        Assert.All(encoded, c => Assert.InRange(c, ' ', '~'));
        Assert.Equal(all, GrpcMessageText.Decode(encoded));
    }
}
