using System.Buffers;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Collector.Protocol.Http.Server;

/// <summary>
/// Reads an HTTP/1.x request head (RFC 9112: request line, header fields, the empty line) from the bytes
/// received so far. It is strict where leniency lets a request mean two things (folded lines, whitespace before
/// a colon, Content-Length beside Transfer-Encoding, control characters) and accepts a bare LF as a line end,
/// as RFC 9112 allows. Bytes after the head (a body, a pipelined request) are left to the caller.
/// </summary>
internal static class RequestParser
{
    /// <summary>Visible ASCII: a target carries anything else percent-encoded.</summary>
    private static readonly SearchValues<byte> TargetChars = SearchValues.Create(Range(0x21, 0x7E));

    public static ParseResult Parse(ReadOnlySpan<byte> data, HttpServerLimits limits)
    {
        // Empty lines before a request line are skipped (RFC 9112 2.2: some clients end a body with an extra
        // CRLF); they count against the request line's limit, so a stream of them ends like a long line.
        var offset = 0;
        ReadOnlySpan<byte> requestLine;
        do
        {
            if (!TryReadLine(data, offset, out requestLine, out offset))
                return data.Length > limits.MaxRequestLineBytes + 1 ? ParseResult.Invalid(StatusCodes.Status414UriTooLong) : ParseResult.Incomplete;
        }
        while (requestLine.IsEmpty);
        if (requestLine.Length > limits.MaxRequestLineBytes || offset > limits.MaxRequestLineBytes + 2)
            return ParseResult.Invalid(StatusCodes.Status414UriTooLong);
        if (!TryParseRequestLine(requestLine, out var method, out var target, out var protocol, out var error)) return ParseResult.Invalid(error);
        if (!TrySplitTarget(target, out var path, out var query)) return ParseResult.Invalid(StatusCodes.Status400BadRequest);

        IHeaderDictionary headers = new HeaderDictionary();
        var headersStart = offset;
        while (true)
        {
            if (!TryReadLine(data, offset, out var line, out var next))
                return data.Length - headersStart > limits.MaxHeaderBytes + 1 ? ParseResult.Invalid(StatusCodes.Status431RequestHeaderFieldsTooLarge) : ParseResult.Incomplete;
            offset = next;
            if (line.IsEmpty) break;
            if (next - headersStart > limits.MaxHeaderBytes) return ParseResult.Invalid(StatusCodes.Status431RequestHeaderFieldsTooLarge);
            if (!TryParseField(line, headers)) return ParseResult.Invalid(StatusCodes.Status400BadRequest);
        }
        return Frame(headers, method, target, path, query, protocol, offset, limits);
    }

    /// <summary>The line starting at <paramref name="offset"/> without its CRLF or LF; false while its LF has not arrived.</summary>
    private static bool TryReadLine(ReadOnlySpan<byte> data, int offset, out ReadOnlySpan<byte> line, out int next)
    {
        var lf = data[offset..].IndexOf((byte)'\n');
        if (lf < 0)
        {
            line = default;
            next = offset;
            return false;
        }
        line = data.Slice(offset, lf);
        if (!line.IsEmpty && line[^1] == '\r') line = line[..^1];
        next = offset + lf + 1;
        return true;
    }

    private static bool TryParseRequestLine(ReadOnlySpan<byte> line, out string method, out ReadOnlySpan<byte> target, out string protocol, out int error)
    {
        method = protocol = "";
        target = default;
        error = StatusCodes.Status400BadRequest;
        var space = line.IndexOf((byte)' ');
        if (space <= 0 || line[..space].ContainsAnyExcept(HttpSyntax.TokenBytes)) return false;
        method = Method(line[..space]);
        var rest = line[(space + 1)..];
        space = rest.IndexOf((byte)' ');
        if (space <= 0 || rest[..space].ContainsAnyExcept(TargetChars)) return false;
        target = rest[..space];
        var version = rest[(space + 1)..];
        if (version.SequenceEqual("HTTP/1.1"u8)) protocol = HttpProtocol.Http11;
        else if (version.SequenceEqual("HTTP/1.0"u8)) protocol = HttpProtocol.Http10;
        else
        {
            // A well-formed version we do not speak is told apart from garbage (RFC 9110 15.6.6).
            if (version.Length == 8 && version.StartsWith("HTTP/"u8) && char.IsAsciiDigit((char)version[5]) && version[6] == '.' && char.IsAsciiDigit((char)version[7]))
                error = StatusCodes.Status505HttpVersionNotsupported;
            return false;
        }
        return true;
    }

    /// <summary>The common methods as the shared constant strings, so comparing them is cheap and nothing is allocated.</summary>
    private static string Method(ReadOnlySpan<byte> method) =>
        method.SequenceEqual("GET"u8) ? HttpMethods.Get
        : method.SequenceEqual("HEAD"u8) ? HttpMethods.Head
        : method.SequenceEqual("POST"u8) ? HttpMethods.Post
        : Encoding.ASCII.GetString(method);

    /// <summary>
    /// Origin form (<c>/path?query</c>), absolute form (<c>http://host/path</c>, which a server must accept) or
    /// the asterisk of <c>OPTIONS *</c>; the path is decoded as ASP.NET Core decodes it.
    /// </summary>
    private static bool TrySplitTarget(ReadOnlySpan<byte> target, out string path, out string query)
    {
        path = query = "";
        if (target.SequenceEqual("*"u8)) return true;
        if (target[0] != '/')
        {
            var scheme = target.StartsWith("http://"u8) ? 7 : target.StartsWith("https://"u8) ? 8 : -1;
            if (scheme < 0) return false;
            var pathStart = target[scheme..].IndexOfAny((byte)'/', (byte)'?');
            target = pathStart < 0 ? "/"u8 : target[(scheme + pathStart)..];
            if (target[0] == '?') path = "/";
        }
        var mark = target.IndexOf((byte)'?');
        var rawPath = mark < 0 ? target : target[..mark];
        if (!rawPath.IsEmpty) path = PathString.FromUriComponent(Encoding.ASCII.GetString(rawPath)).Value ?? "";
        if (mark >= 0) query = Encoding.ASCII.GetString(target[mark..]);
        return true;
    }

    /// <summary><c>name: value</c>, the name a token right before the colon, the value without surrounding spaces or tabs.</summary>
    private static bool TryParseField(ReadOnlySpan<byte> line, IHeaderDictionary headers)
    {
        var colon = line.IndexOf((byte)':');
        // A line starting with whitespace would continue the previous one (obsolete folding): refused, as is a
        // name with whitespace before the colon, which proxies and servers have read differently.
        if (colon <= 0 || line[..colon].ContainsAnyExcept(HttpSyntax.TokenBytes)) return false;
        var value = line[(colon + 1)..].Trim(" \t"u8);
        if (value.ContainsAnyExcept(HttpSyntax.FieldValueBytes)) return false;
        headers.Append(Encoding.ASCII.GetString(line[..colon]), Encoding.Latin1.GetString(value));
        return true;
    }

    /// <summary>What the header fields say about the message's framing and the connection's persistence.</summary>
    private static ParseResult Frame(IHeaderDictionary headers, string method, ReadOnlySpan<byte> target, string path, string query, string protocol, int consumed, HttpServerLimits limits)
    {
        var http11 = ReferenceEquals(protocol, HttpProtocol.Http11);
        // RFC 9112 3.2: an HTTP/1.1 request has exactly one Host; none at all is fine for HTTP/1.0.
        var host = headers.Host.Count;
        if (host > 1 || (http11 && host == 0)) return ParseResult.Invalid(StatusCodes.Status400BadRequest);
        // The endpoints take no bodies, so a chunked one is not worth decoding: the client is told to send a
        // length. Both headers at once is the classic request-smuggling shape and is plainly bad.
        var contentLength = headers[HeaderNames.ContentLength];
        if (headers.TransferEncoding.Count > 0)
            return ParseResult.Invalid(contentLength.Count > 0 ? StatusCodes.Status400BadRequest : StatusCodes.Status411LengthRequired);
        long length = 0;
        if (contentLength.Count > 1 || (contentLength.Count == 1 && !long.TryParse(contentLength[0], NumberStyles.None, CultureInfo.InvariantCulture, out length)))
            return ParseResult.Invalid(StatusCodes.Status400BadRequest);
        if (length > limits.MaxRequestBodyBytes) return ParseResult.Invalid(StatusCodes.Status413PayloadTooLarge);
        var connection = headers.Connection;
        var keepAlive = !HttpSyntax.HasToken(connection, "close") && (http11 || HttpSyntax.HasToken(connection, "keep-alive"));
        var head = new RequestHead
        {
            Method = method,
            RawTarget = Encoding.ASCII.GetString(target),
            Path = path,
            QueryString = query,
            Protocol = protocol,
            Headers = headers,
            ContentLength = length,
            KeepAlive = keepAlive,
            ExpectContinue = http11 && string.Equals(headers.Expect.ToString(), "100-continue", StringComparison.OrdinalIgnoreCase),
        };
        return ParseResult.Complete(head, consumed);
    }

    private static byte[] Range(int first, int last) => [.. Enumerable.Range(first, last - first + 1).Select(b => (byte)b)];
}

internal enum ParseStatus
{
    /// <summary>The head has not all arrived: read more and parse again from the start.</summary>
    Incomplete,
    Complete,
    /// <summary>The request is refused with <see cref="ParseResult.ErrorStatus"/>, and the connection closed.</summary>
    Invalid,
}

/// <summary>What <see cref="RequestParser.Parse"/> made of the bytes: a head and how many bytes it took, or an error status.</summary>
internal readonly record struct ParseResult(ParseStatus Status, RequestHead? Head, int Consumed, int ErrorStatus)
{
    public static ParseResult Incomplete => default;

    public static ParseResult Complete(RequestHead head, int consumed) => new(ParseStatus.Complete, head, consumed, 0);

    public static ParseResult Invalid(int status) => new(ParseStatus.Invalid, null, 0, status);
}
