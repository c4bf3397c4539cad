using System.Text;
using Collector.Protocol.Http.Server;

namespace Collector.Protocol.Tests.Http.Server;

public class RequestParserTests
{
    private static readonly HttpServerLimits Limits = new() { MaxRequestLineBytes = 64, MaxHeaderBytes = 128, MaxRequestBodyBytes = 100 };

    private static ParseResult Parse(string text) => RequestParser.Parse(Encoding.Latin1.GetBytes(text), Limits);

    private static RequestHead Head(string text)
    {
        var result = Parse(text);
        Assert.Equal(ParseStatus.Complete, result.Status);
        return result.Head!;
    }

    [Fact]
    public void Reads_a_prometheus_scrape()
    {
        const string text = "GET /metrics HTTP/1.1\r\nHost: localhost:8888\r\nAccept: application/openmetrics-text;version=1.0.0\r\nAccept-Encoding: gzip\r\n\r\n";
        var result = Parse(text);

        Assert.Equal(ParseStatus.Complete, result.Status);
        Assert.Equal(text.Length, result.Consumed);
        var head = result.Head!;
        Assert.Equal("GET", head.Method);
        Assert.Equal("/metrics", head.Path);
        Assert.Equal("", head.QueryString);
        Assert.Equal("/metrics", head.RawTarget);
        Assert.Equal("HTTP/1.1", head.Protocol);
        Assert.Equal("localhost:8888", head.Headers.Host.ToString());
        Assert.Equal("application/openmetrics-text;version=1.0.0", head.Headers.Accept.ToString());
        Assert.True(head.KeepAlive);
        Assert.Equal(0, head.ContentLength);
        Assert.False(head.IsHead);
    }

    [Fact]
    public void Takes_only_the_first_of_pipelined_requests()
    {
        const string first = "GET /a HTTP/1.1\r\nHost: x\r\n\r\n";
        var result = Parse(first + "GET /b HTTP/1.1\r\nHost: x\r\n\r\n");

        Assert.Equal(first.Length, result.Consumed);
        Assert.Equal("/a", result.Head!.Path);
    }

    [Theory]
    [InlineData("")]
    [InlineData("GET /metrics HTT")]
    [InlineData("GET /metrics HTTP/1.1\r\n")]
    [InlineData("GET /metrics HTTP/1.1\r\nHost: x\r\n")]
    [InlineData("GET /metrics HTTP/1.1\r\nHost: x\r\n\r")]
    public void Waits_for_the_rest_of_a_head(string text) => Assert.Equal(ParseStatus.Incomplete, Parse(text).Status);

    [Fact]
    public void Splits_the_query_and_decodes_the_path_but_not_an_encoded_slash()
    {
        var head = Head("GET /a%20b%2Fc?x=1&y=%20 HTTP/1.1\r\nHost: x\r\n\r\n");

        Assert.Equal("/a b%2Fc", head.Path);
        Assert.Equal("?x=1&y=%20", head.QueryString);
        Assert.Equal("/a%20b%2Fc?x=1&y=%20", head.RawTarget);
    }

    [Theory]
    [InlineData("http://localhost:8888/metrics?a=1", "/metrics", "?a=1")]
    [InlineData("http://localhost:8888", "/", "")]
    [InlineData("http://localhost:8888?a=1", "/", "?a=1")]
    [InlineData("*", "", "")]
    public void Accepts_the_absolute_and_asterisk_forms(string target, string path, string query)
    {
        var head = Head($"OPTIONS {target} HTTP/1.1\r\nHost: x\r\n\r\n");

        Assert.Equal(path, head.Path);
        Assert.Equal(query, head.QueryString);
    }

    [Theory]
    [InlineData("HTTP/1.1", "", true)]
    [InlineData("HTTP/1.1", "Connection: close\r\n", false)]
    [InlineData("HTTP/1.1", "Connection: Keep-Alive, CLOSE\r\n", false)]
    [InlineData("HTTP/1.0", "", false)]
    [InlineData("HTTP/1.0", "Connection: keep-alive\r\n", true)]
    [InlineData("HTTP/1.0", "Connection: Upgrade,  Keep-Alive \r\n", true)]
    public void Keeps_http11_connections_unless_closed_and_http10_ones_only_when_asked(string version, string connection, bool keepAlive) =>
        Assert.Equal(keepAlive, Head($"GET / {version}\r\nHost: x\r\n{connection}\r\n").KeepAlive);

    [Fact]
    public void An_http10_request_needs_no_host() => Assert.Equal("HTTP/1.0", Head("GET / HTTP/1.0\r\n\r\n").Protocol);

    [Fact]
    public void Accepts_bare_line_feeds_and_skips_empty_lines_before_the_request()
    {
        var head = Head("\r\n\nHEAD /health HTTP/1.1\nHost: x\n\n");

        Assert.True(head.IsHead);
        Assert.Equal("/health", head.Path);
    }

    [Fact]
    public void Trims_field_values_keeps_repeated_fields_and_reads_latin1()
    {
        var head = Head("GET / HTTP/1.1\r\nHost: x\r\nX-A: \t one \t\r\nx-a: two\r\nX-B:\r\nX-C: caf\u00e9\r\n\r\n");

        Assert.Equal("one,two", head.Headers["X-A"].ToString());
        Assert.Equal("", head.Headers["X-B"].ToString());
        Assert.Equal("caf\u00e9", head.Headers["X-C"].ToString());
    }

    [Fact]
    public void Reads_the_content_length_and_a_wish_to_continue()
    {
        var head = Head("POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 042\r\nExpect: 100-Continue\r\n\r\n");

        Assert.Equal(42, head.ContentLength);
        Assert.True(head.ExpectContinue);
        Assert.False(Head("POST / HTTP/1.0\r\nContent-Length: 1\r\nExpect: 100-continue\r\n\r\n").ExpectContinue);
    }

    [Theory]
    [InlineData("GET /metrics\r\n\r\n")]
    [InlineData("GET  /metrics HTTP/1.1\r\nHost: x\r\n\r\n")]
    [InlineData("GET /metrics  HTTP/1.1\r\nHost: x\r\n\r\n")]
    [InlineData(" GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")]
    [InlineData("G(T /metrics HTTP/1.1\r\nHost: x\r\n\r\n")]
    [InlineData("GET metrics HTTP/1.1\r\nHost: x\r\n\r\n")]
    [InlineData("GET ftp://x/ HTTP/1.1\r\nHost: x\r\n\r\n")]
    [InlineData("GET /m\u00e9trics HTTP/1.1\r\nHost: x\r\n\r\n")]
    [InlineData("GET /a\rb HTTP/1.1\r\nHost: x\r\n\r\n")]
    [InlineData("GET /metrics http/1.1\r\nHost: x\r\n\r\n")]
    [InlineData("GET /metrics HTTP/1.1 \r\nHost: x\r\n\r\n")]
    [InlineData("GET /metrics HTTP/11\r\nHost: x\r\n\r\n")]
    [InlineData("\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003\r\n\r\n")]
    public void Refuses_a_malformed_request_line_with_400(string text) => AssertInvalid(400, text);

    [Theory]
    [InlineData("HTTP/2.0")]
    [InlineData("HTTP/0.9")]
    public void Refuses_another_http_version_with_505(string version) => AssertInvalid(505, $"GET / {version}\r\nHost: x\r\n\r\n");

    [Theory]
    [InlineData("Host: x\r\nX-A : b\r\n")]
    [InlineData("Host: x\r\n X-A: b\r\n")]
    [InlineData("Host: x\r\nX-A: b\r\n\tc\r\n")]
    [InlineData("Host: x\r\nX-A b\r\n")]
    [InlineData("Host: x\r\n: b\r\n")]
    [InlineData("Host: x\r\nX(A): b\r\n")]
    [InlineData("Host: x\r\nX-A: b\u0000c\r\n")]
    [InlineData("Host: x\r\nX-A: b\rc\r\n")]
    [InlineData("Host: x\r\nX-A: b\u007f\r\n")]
    [InlineData("")]
    [InlineData("Host: x\r\nHost: y\r\n")]
    [InlineData("Host: x\r\nContent-Length: -1\r\n")]
    [InlineData("Host: x\r\nContent-Length: 1, 1\r\n")]
    [InlineData("Host: x\r\nContent-Length: 1\r\nContent-Length: 1\r\n")]
    [InlineData("Host: x\r\nContent-Length: 99999999999999999999\r\n")]
    [InlineData("Host: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n")]
    public void Refuses_malformed_or_ambiguous_fields_with_400(string fields) => AssertInvalid(400, $"POST / HTTP/1.1\r\n{fields}\r\n");

    [Theory]
    [InlineData("chunked")]
    [InlineData("gzip, chunked")]
    public void Asks_for_a_length_instead_of_a_chunked_body(string coding) =>
        AssertInvalid(411, $"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: {coding}\r\n\r\n");

    [Fact]
    public void Refuses_a_body_over_the_limit_with_413()
    {
        Assert.Equal(100, Head("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n").ContentLength);
        AssertInvalid(413, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 101\r\n\r\n");
    }

    [Fact]
    public void Refuses_a_request_line_over_the_limit_with_414_even_before_it_ends()
    {
        var fits = "GET /" + new string('a', 64 - "GET / HTTP/1.1".Length) + " HTTP/1.1";
        Assert.Equal(64, fits.Length);
        Head(fits + "\r\nHost: x\r\n\r\n");

        var tooLong = "GET /a" + fits[5..];
        AssertInvalid(414, tooLong + "\r\nHost: x\r\n\r\n");
        AssertInvalid(414, tooLong + "\nHost: x\n\n");
        Assert.Equal(ParseStatus.Incomplete, Parse(fits + "\r").Status);
        AssertInvalid(414, tooLong + "\r");
        AssertInvalid(414, "/" + new string('a', 100));
    }

    [Fact]
    public void Empty_lines_before_the_request_count_against_its_limit()
    {
        AssertInvalid(414, string.Concat(Enumerable.Repeat("\r\n", 40)));
        AssertInvalid(414, string.Concat(Enumerable.Repeat("\r\n", 30)) + "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    }

    [Fact]
    public void Refuses_header_fields_over_the_limit_with_431_even_before_they_end()
    {
        // 128 bytes of fields, line endings included.
        var fits = "Host: x\r\nX: " + new string('b', 128 - 9 - 5) + "\r\n";
        Assert.Equal(128, fits.Length);
        Head("GET / HTTP/1.1\r\n" + fits + "\r\n");

        AssertInvalid(431, "GET / HTTP/1.1\r\n" + fits.Replace("X: ", "X: b", StringComparison.Ordinal) + "\r\n");
        Assert.Equal(ParseStatus.Incomplete, Parse("GET / HTTP/1.1\r\n" + fits + "\r").Status);
        AssertInvalid(431, "GET / HTTP/1.1\r\n" + fits + "X:");
        AssertInvalid(431, "GET / HTTP/1.1\r\nX: " + new string('b', 200));
    }

    private static void AssertInvalid(int status, string text)
    {
        var result = Parse(text);
        Assert.Equal(ParseStatus.Invalid, result.Status);
        Assert.Equal(status, result.ErrorStatus);
    }
}
