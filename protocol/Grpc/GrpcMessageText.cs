using System.Text;

namespace Collector.Protocol.Grpc;

/// <summary>
/// The percent-encoding of <c>grpc-message</c>: the UTF-8 bytes of the text, where every byte outside printable
/// ASCII, and '%' itself, is written as <c>%XX</c>. Header values cannot carry other bytes reliably.
/// </summary>
public static class GrpcMessageText
{
    public static string Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!NeedsEncoding(text)) return text;
        var bytes = Encoding.UTF8.GetBytes(text);
        var builder = new StringBuilder(bytes.Length * 3);
        foreach (var b in bytes)
        {
            if (IsUnreserved(b))
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(HexDigit(b >> 4)).Append(HexDigit(b & 0xF));
            }
        }
        return builder.ToString();
    }

    /// <summary>
    /// Decodes leniently, as the spec requires of receivers: a '%' not followed by two hex digits stays as it is,
    /// and byte sequences that are not UTF-8 become U+FFFD; the message is never thrown away.
    /// </summary>
    public static string Decode(string? encoded)
    {
        if (string.IsNullOrEmpty(encoded)) return "";
        if (!encoded.Contains('%', StringComparison.Ordinal)) return encoded;
        var bytes = new List<byte>(encoded.Length);
        for (var i = 0; i < encoded.Length; i++)
        {
            var c = encoded[i];
            if (c == '%' && i + 2 < encoded.Length && TryHex(encoded[i + 1], out var high) && TryHex(encoded[i + 2], out var low))
            {
                bytes.Add((byte)((high << 4) | low));
                i += 2;
            }
            else if (c <= 0x7F)
            {
                bytes.Add((byte)c);
            }
            else
            {
                // Not allowed on the wire, but a lenient peer may have sent it: keep the character (with its
                // surrogate partner, so a character outside the BMP survives).
                var length = char.IsHighSurrogate(c) && i + 1 < encoded.Length && char.IsLowSurrogate(encoded[i + 1]) ? 2 : 1;
                bytes.AddRange(Encoding.UTF8.GetBytes(encoded.Substring(i, length)));
                i += length - 1;
            }
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    private static bool NeedsEncoding(string text)
    {
        foreach (var c in text)
        {
            if (c > 0x7F || !IsUnreserved((byte)c)) return true;
        }
        return false;
    }

    /// <summary>Space and visible ASCII except '%'.</summary>
    private static bool IsUnreserved(byte b) => b is >= 0x20 and <= 0x7E && b != (byte)'%';

    private static char HexDigit(int value) => (char)(value < 10 ? '0' + value : 'A' + value - 10);

    private static bool TryHex(char c, out int value)
    {
        value = c switch
        {
            >= '0' and <= '9' => c - '0',
            >= 'a' and <= 'f' => c - 'a' + 10,
            >= 'A' and <= 'F' => c - 'A' + 10,
            _ => -1,
        };
        return value >= 0;
    }
}
