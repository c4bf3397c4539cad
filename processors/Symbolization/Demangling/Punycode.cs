using System.Text;

namespace Collector.Processors.Symbolization.Demangling;

/// <summary>
/// Punycode decoding (RFC 3492) for Rust v0 identifiers that are not ASCII. Rust separates the basic code points
/// from the encoded deltas with '_' instead of '-'. Decodes into a caller's span; false on malformed input.
/// </summary>
internal static class Punycode
{
    private const int Base = 36;
    private const int TMin = 1;
    private const int TMax = 26;
    private const int Skew = 38;
    private const int Damp = 700;
    private const int InitialBias = 72;
    private const int InitialN = 128;

    /// <summary>Decodes <paramref name="encoded"/> into code points; <paramref name="count"/> is how many were written.</summary>
    public static bool TryDecode(ReadOnlySpan<char> encoded, Span<int> codePoints, out int count)
    {
        count = 0;
        var delimiter = encoded.LastIndexOf('_');
        if (delimiter >= 0)
        {
            if (delimiter > codePoints.Length) return false;
            foreach (var c in encoded[..delimiter])
            {
                if (c >= 0x80) return false;
                codePoints[count++] = c;
            }
            encoded = encoded[(delimiter + 1)..];
        }
        long n = InitialN;
        long i = 0;
        var bias = InitialBias;
        var at = 0;
        while (at < encoded.Length)
        {
            var oldI = i;
            long weight = 1;
            for (var k = Base; ; k += Base)
            {
                if (at >= encoded.Length) return false;
                var digit = Digit(encoded[at++]);
                if (digit < 0) return false;
                i += digit * weight;
                if (i > int.MaxValue) return false;
                var threshold = k <= bias ? TMin : k >= bias + TMax ? TMax : k - bias;
                if (digit < threshold) break;
                weight *= Base - threshold;
                if (weight > int.MaxValue) return false;
            }
            if (count >= codePoints.Length) return false;
            bias = Adapt(i - oldI, count + 1, oldI == 0);
            n += i / (count + 1);
            i %= count + 1;
            if (n > 0x10FFFF || n is >= 0xD800 and <= 0xDFFF) return false;
            codePoints[(int)i..count].CopyTo(codePoints[((int)i + 1)..]);
            codePoints[(int)i] = (int)n;
            count++;
            i++;
        }
        return true;
    }

    /// <summary>Appends decoded code points as UTF-16.</summary>
    public static void Append(ReadOnlySpan<int> codePoints, DemangleBuffer output)
    {
        Span<char> pair = stackalloc char[2];
        foreach (var codePoint in codePoints)
        {
            var written = new Rune(codePoint).EncodeToUtf16(pair);
            output.Append(pair[..written]);
        }
    }

    private static int Digit(char c) => c switch
    {
        >= 'a' and <= 'z' => c - 'a',
        >= '0' and <= '9' => c - '0' + 26,
        _ => -1,
    };

    private static int Adapt(long delta, int points, bool first)
    {
        delta = first ? delta / Damp : delta / 2;
        delta += delta / points;
        var k = 0;
        while (delta > (Base - TMin) * TMax / 2)
        {
            delta /= Base - TMin;
            k += Base;
        }
        return (int)(k + (Base - TMin + 1) * delta / (delta + Skew));
    }
}
