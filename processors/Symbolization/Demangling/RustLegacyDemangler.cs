namespace Collector.Processors.Symbolization.Demangling;

/// <summary>
/// Rust's legacy mangling: an Itanium-style nested name "_ZN" (length identifier)* "E" whose last identifier is
/// "h" + 16 hex digits (the crate hash), and whose identifiers escape punctuation as "$LT$", "$u20$", ".." and so on.
/// c++filt keeps the hash as a last "::h..." component, and so do we.
/// </summary>
internal static class RustLegacyDemangler
{
    /// <summary>True when the name ends in the "17h&lt;16 hex digits&gt;E" hash component of a legacy Rust name.</summary>
    public static bool LooksLikeRustLegacy(string raw)
    {
        if (raw.Length < 24 || !raw.StartsWith("_ZN", StringComparison.Ordinal)) return false;
        var hash = raw.AsSpan(raw.Length - 20);
        if (!hash.StartsWith("17h") || hash[^1] != 'E') return false;
        foreach (var c in hash[3..^1])
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c)) return false;
        }
        return true;
    }

    public static bool Demangle(string raw, DemangleBuffer output)
    {
        output.Reset();
        var at = 3;
        var end = raw.Length - 1; // the final 'E'
        var first = true;
        while (at < end)
        {
            if (!char.IsAsciiDigit(raw[at])) return false;
            var length = 0;
            while (at < end && char.IsAsciiDigit(raw[at]))
            {
                length = length * 10 + (raw[at++] - '0');
                if (length > end) return false;
            }
            if (length == 0 || at + length > end) return false;
            if (!first) output.Append("::");
            first = false;
            if (!Identifier(raw.AsSpan(at, length), output)) return false;
            at += length;
        }
        return at == end && !output.Overflowed;
    }

    private static bool Identifier(ReadOnlySpan<char> identifier, DemangleBuffer output)
    {
        // A leading '_' only protects an identifier that starts with an escape.
        if (identifier.Length > 1 && identifier[0] == '_' && identifier[1] == '$') identifier = identifier[1..];
        var i = 0;
        while (i < identifier.Length)
        {
            var c = identifier[i];
            if (c == '.')
            {
                if (i + 1 < identifier.Length && identifier[i + 1] == '.')
                {
                    output.Append("::");
                    i += 2;
                }
                else
                {
                    output.Append('.');
                    i++;
                }
                continue;
            }
            if (c != '$')
            {
                output.Append(c);
                i++;
                continue;
            }
            var close = identifier[(i + 1)..].IndexOf('$');
            if (close < 0)
            {
                // A lone '$' is kept as it is.
                output.Append('$');
                i++;
                continue;
            }
            var escape = identifier.Slice(i + 1, close);
            if (!Unescape(escape, output)) return false;
            i += close + 2;
        }
        return true;
    }

    private static bool Unescape(ReadOnlySpan<char> escape, DemangleBuffer output)
    {
        switch (escape)
        {
            case "SP": output.Append('@'); return true;
            case "BP": output.Append('*'); return true;
            case "RF": output.Append('&'); return true;
            case "LT": output.Append('<'); return true;
            case "GT": output.Append('>'); return true;
            case "LP": output.Append('('); return true;
            case "RP": output.Append(')'); return true;
            case "C": output.Append(','); return true;
        }
        if (escape.Length < 2 || escape[0] != 'u') return false;
        var code = 0;
        foreach (var h in escape[1..])
        {
            if (!char.IsAsciiHexDigitLower(h) && !char.IsAsciiDigit(h)) return false;
            code = code * 16 + (char.IsAsciiDigit(h) ? h - '0' : h - 'a' + 10);
            if (code > 0x10FFFF) return false;
        }
        if (code < 0x20 || code == 0x7f) return false;
        if (code > 0xFFFF) output.Append(char.ConvertFromUtf32(code));
        else output.Append((char)code);
        return true;
    }
}
