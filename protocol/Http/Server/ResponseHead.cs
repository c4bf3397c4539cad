using System.Buffers;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Collector.Protocol.Http.Server;

/// <summary>How the response says what becomes of the connection.</summary>
internal enum ConnectionDirective
{
    /// <summary>HTTP/1.1 keeps the connection by default: nothing to say.</summary>
    None,
    Close,
    /// <summary>An HTTP/1.0 client that asked to keep the connection is told it is kept.</summary>
    KeepAlive,
}

/// <summary>
/// Writes a response's status line and header section. The server owns the framing: Content-Length is always
/// its own count (the body is buffered), and Connection says what it will do; a handler's Transfer-Encoding,
/// Content-Length and Connection values are not copied. No Date (nobody here needs one, and leaving it out
/// keeps a clock away) and no Server header.
/// </summary>
internal static class ResponseHead
{
    /// <summary>The head for a request refused before any handler ran: no body, and the connection closes.</summary>
    public static void WriteError(IBufferWriter<byte> output, int statusCode) =>
        Write(output, statusCode, null, new HeaderDictionary(), 0, ConnectionDirective.Close);

    /// <summary>Throws <see cref="InvalidOperationException"/> for a status or header a handler got wrong; nothing is written then that could have reached the client.</summary>
    public static void Write(IBufferWriter<byte> output, int statusCode, string? reasonPhrase, IHeaderDictionary headers, long? contentLength, ConnectionDirective connection)
    {
        if (statusCode is < 100 or > 999) throw new InvalidOperationException($"Status code {statusCode} is not a valid HTTP status.");
        var reason = string.IsNullOrEmpty(reasonPhrase) ? ReasonPhrases.GetReasonPhrase(statusCode) : reasonPhrase;
        if (reason.AsSpan().ContainsAnyExcept(HttpSyntax.FieldValueChars)) throw new InvalidOperationException("The reason phrase has characters an HTTP head cannot carry.");
        Text(output, "HTTP/1.1 ");
        Number(output, statusCode);
        Text(output, " ");
        Text(output, reason);
        Text(output, "\r\n");
        foreach (var (name, values) in headers)
        {
            if (IsFraming(name)) continue;
            if (name.Length == 0 || name.AsSpan().ContainsAnyExcept(HttpSyntax.TokenChars)) throw new InvalidOperationException($"\"{name}\" is not a valid header name.");
            foreach (var value in values)
            {
                if (value is null) continue;
                if (value.AsSpan().ContainsAnyExcept(HttpSyntax.FieldValueChars)) throw new InvalidOperationException($"The value of header {name} has characters an HTTP head cannot carry.");
                Text(output, name);
                Text(output, ": ");
                Text(output, value);
                Text(output, "\r\n");
            }
        }
        if (contentLength is { } length)
        {
            Text(output, "Content-Length: ");
            Number(output, length);
            Text(output, "\r\n");
        }
        if (connection == ConnectionDirective.Close) Text(output, "Connection: close\r\n");
        else if (connection == ConnectionDirective.KeepAlive) Text(output, "Connection: keep-alive\r\n");
        Text(output, "\r\n");
    }

    /// <summary>Whether a status never has a body, and so no Content-Length either (RFC 9110 8.6).</summary>
    public static bool HasNoContent(int statusCode) => statusCode is < 200 or StatusCodes.Status204NoContent;

    private static bool IsFraming(string name) =>
        name.Equals(HeaderNames.ContentLength, StringComparison.OrdinalIgnoreCase)
        || name.Equals(HeaderNames.TransferEncoding, StringComparison.OrdinalIgnoreCase)
        || name.Equals(HeaderNames.Connection, StringComparison.OrdinalIgnoreCase);

    /// <summary>Latin-1, one byte a character: the characters were checked to fit, or are the server's own ASCII.</summary>
    private static void Text(IBufferWriter<byte> output, string text)
    {
        var written = Encoding.Latin1.GetBytes(text, output.GetSpan(text.Length));
        output.Advance(written);
    }

    private static void Number(IBufferWriter<byte> output, long value)
    {
        value.TryFormat(output.GetSpan(20), out var written, default, CultureInfo.InvariantCulture);
        output.Advance(written);
    }
}
