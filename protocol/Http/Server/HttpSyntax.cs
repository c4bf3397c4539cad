using System.Buffers;
using System.Text;
using Microsoft.Extensions.Primitives;

namespace Collector.Protocol.Http.Server;

/// <summary>The pieces of RFC 9110 syntax that both the request parser and the response side check against.</summary>
internal static class HttpSyntax
{
    /// <summary>tchar: what a method or a field name may consist of.</summary>
    private const string Token = "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static readonly SearchValues<byte> TokenBytes = SearchValues.Create(Encoding.ASCII.GetBytes(Token));

    public static readonly SearchValues<char> TokenChars = SearchValues.Create(Token);

    /// <summary>
    /// What a field value (or reason phrase) may hold: tab, space, visible ASCII and obs-text (0x80–0xFF). Anything
    /// else (CR and LF above all) could split a message, so the parser refuses it and the response side never writes it.
    /// </summary>
    private static readonly string FieldValue = "\t" + new string([.. Enumerable.Range(0x20, 0x7F - 0x20).Concat(Enumerable.Range(0x80, 0x80)).Select(c => (char)c)]);

    public static readonly SearchValues<byte> FieldValueBytes = SearchValues.Create(Encoding.Latin1.GetBytes(FieldValue));

    public static readonly SearchValues<char> FieldValueChars = SearchValues.Create(FieldValue);

    /// <summary>Whether a comma-separated header (e.g. <c>Connection: keep-alive, Upgrade</c>) lists a token, in any case.</summary>
    public static bool HasToken(StringValues values, string token)
    {
        foreach (var value in values)
        {
            if (value is null) continue;
            foreach (var range in value.AsSpan().Split(','))
            {
                if (value.AsSpan()[range].Trim().Equals(token, StringComparison.OrdinalIgnoreCase)) return true;
            }
        }
        return false;
    }
}
