using System.Buffers;
using System.Text;
using Collector.Protocol.Http.Server;
using Microsoft.AspNetCore.Http;

namespace Collector.Protocol.Tests.Http.Server;

public class ResponseHeadTests
{
    private static string Write(int status, IHeaderDictionary headers, long? length, ConnectionDirective connection, string? reason = null)
    {
        var output = new ArrayBufferWriter<byte>();
        ResponseHead.Write(output, status, reason, headers, length, connection);
        return Encoding.Latin1.GetString(output.WrittenSpan);
    }

    [Fact]
    public void Writes_the_status_line_the_handler_headers_and_the_length_and_no_date_or_server()
    {
        var headers = new HeaderDictionary { ["Content-Type"] = "text/plain; version=0.0.4; charset=utf-8" };

        Assert.Equal(
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\nContent-Length: 3167\r\n\r\n",
            Write(200, headers, 3167, ConnectionDirective.None));
    }

    [Theory]
    [InlineData(404, "Not Found")]
    [InlineData(405, "Method Not Allowed")]
    [InlineData(431, "Request Header Fields Too Large")]
    [InlineData(503, "Service Unavailable")]
    [InlineData(599, "")]
    public void Says_the_standard_reason_phrase(int status, string reason) =>
        Assert.StartsWith($"HTTP/1.1 {status} {reason}\r\n", Write(status, new HeaderDictionary(), 0, ConnectionDirective.None), StringComparison.Ordinal);

    [Fact]
    public void Uses_the_handlers_reason_phrase_when_it_sets_one() =>
        Assert.StartsWith("HTTP/1.1 200 Fine\r\n", Write(200, new HeaderDictionary(), 0, ConnectionDirective.None, "Fine"), StringComparison.Ordinal);

    [Fact]
    public void Says_what_becomes_of_the_connection()
    {
        Assert.EndsWith("Content-Length: 0\r\nConnection: close\r\n\r\n", Write(400, new HeaderDictionary(), 0, ConnectionDirective.Close), StringComparison.Ordinal);
        Assert.EndsWith("Content-Length: 0\r\nConnection: keep-alive\r\n\r\n", Write(200, new HeaderDictionary(), 0, ConnectionDirective.KeepAlive), StringComparison.Ordinal);
    }

    [Fact]
    public void Leaves_the_framing_to_the_server()
    {
        var headers = new HeaderDictionary
        {
            ContentLength = 5,
            ["transfer-encoding"] = "chunked",
            ["Connection"] = "keep-alive",
            ["Allow"] = "GET, HEAD",
        };

        Assert.Equal("HTTP/1.1 405 Method Not Allowed\r\nAllow: GET, HEAD\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", Write(405, headers, 0, ConnectionDirective.Close));
    }

    [Fact]
    public void Writes_no_length_when_told_there_is_none_and_each_value_of_a_repeated_header()
    {
        var headers = new HeaderDictionary { ["Vary"] = new(["Accept", "Accept-Encoding"]) };

        Assert.Equal("HTTP/1.1 204 No Content\r\nVary: Accept\r\nVary: Accept-Encoding\r\n\r\n", Write(204, headers, null, ConnectionDirective.None));
    }

    [Fact]
    public void Writes_latin1_values_as_one_byte_each()
    {
        var output = new ArrayBufferWriter<byte>();
        ResponseHead.Write(output, 200, null, new HeaderDictionary { ["X-Name"] = "caf\u00e9" }, 0, ConnectionDirective.None);

        Assert.Contains((byte)0xE9, output.WrittenSpan.ToArray());
    }

    [Fact]
    public void An_error_head_has_no_body_and_closes() =>
        Assert.Equal("HTTP/1.1 413 Payload Too Large\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", WriteError(413));

    [Theory]
    [InlineData("X-Bad", "a\r\nSet-Cookie: x=1")]
    [InlineData("X-Bad", "a\nb")]
    [InlineData("X-Bad", "\u0100")]
    [InlineData("X Bad", "a")]
    [InlineData("X-Bad:", "a")]
    public void Refuses_a_header_that_would_split_or_corrupt_the_response(string name, string value) =>
        Assert.Throws<InvalidOperationException>(() => Write(200, new HeaderDictionary { [name] = value }, 0, ConnectionDirective.None));

    [Theory]
    [InlineData(99, null)]
    [InlineData(1000, null)]
    [InlineData(200, "O\r\nK")]
    public void Refuses_an_invalid_status_or_reason(int status, string? reason) =>
        Assert.Throws<InvalidOperationException>(() => Write(status, new HeaderDictionary(), 0, ConnectionDirective.None, reason));

    [Theory]
    [InlineData(100, true)]
    [InlineData(204, true)]
    [InlineData(200, false)]
    [InlineData(304, false)]
    [InlineData(500, false)]
    public void Knows_which_statuses_have_no_content(int status, bool none) => Assert.Equal(none, ResponseHead.HasNoContent(status));

    private static string WriteError(int status)
    {
        var output = new ArrayBufferWriter<byte>();
        ResponseHead.WriteError(output, status);
        return Encoding.Latin1.GetString(output.WrittenSpan);
    }
}
