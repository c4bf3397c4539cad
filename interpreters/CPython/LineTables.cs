namespace Collector.Interpreters.CPython;

/// <summary>
/// The line of an instruction from a code object's line table, as CPython's own <c>PyCode_Addr2Line</c> finds it:
/// the table is a run of address ranges, each with a line (or none), and the answer is the line of the range
/// holding the byte offset. Every read is bounded by the table; a table that ends early gives no line.
/// </summary>
public static class LineTables
{
    /// <summary>
    /// The line of the instruction at <paramref name="byteOffset"/> in the code object, or null when the table gives
    /// none (an instruction without a line, an offset past the table). A negative offset (3.10's f_lasti of −1, before
    /// the first instruction) is the first line, as in CPython.
    /// </summary>
    public static int? LineAt(CPythonLineTableFormat format, ReadOnlySpan<byte> table, int firstLine, long byteOffset)
    {
        if (byteOffset < 0) return firstLine;
        return format == CPythonLineTableFormat.LineTable310
            ? LineAt310(table, firstLine, byteOffset)
            : LineAt311(table, firstLine, byteOffset);
    }

    /// <summary>3.10 (PEP 626): pairs of (unsigned byte delta, signed line delta); a line delta of −128 means no line.</summary>
    private static int? LineAt310(ReadOnlySpan<byte> table, int firstLine, long byteOffset)
    {
        long end = 0;
        var line = firstLine;
        for (var at = 0; at + 1 < table.Length; at += 2)
        {
            var start = end;
            end += table[at];
            var lineDelta = (sbyte)table[at + 1];
            int? rangeLine = lineDelta == -128 ? null : line += lineDelta;
            if (start <= byteOffset && byteOffset < end) return rangeLine;
        }
        return null;
    }

    /// <summary>
    /// 3.11+ location table (CPython's Objects/locations.md): each entry starts with a byte 1cccclll, lll + 1 code units
    /// long, code cccc saying how the line changes: 15 no location, 14 long form and 13 no columns (signed varint line
    /// delta), 10–12 one-line form (delta = code − 10), 0–9 short form (same line).
    /// </summary>
    private static int? LineAt311(ReadOnlySpan<byte> table, int firstLine, long byteOffset)
    {
        const int codeUnit = 2;
        long end = 0;
        var line = firstLine;
        var at = 0;
        while (at < table.Length)
        {
            var first = table[at++];
            if ((first & 0x80) == 0) return null; // not the start of an entry: the table is not what we think it is
            var code = (first >> 3) & 0xf;
            var start = end;
            end += ((first & 7) + 1) * codeUnit;
            int? rangeLine = line;
            switch (code)
            {
                case 15:
                    rangeLine = null;
                    break;
                case 14:
                case 13:
                    if (!TryReadSignedVarint(table, ref at, out var delta)) return null;
                    rangeLine = line += delta;
                    break;
                case >= 10:
                    rangeLine = line += code - 10;
                    break;
            }
            // The remaining bytes of the entry (columns) have the top bit clear; skip to the next entry.
            while (at < table.Length && (table[at] & 0x80) == 0) at++;
            if (start <= byteOffset && byteOffset < end) return rangeLine;
        }
        return null;
    }

    /// <summary>6-bit little-endian groups, bit 6 set on all but the last; the lowest bit of the value is the sign.</summary>
    private static bool TryReadSignedVarint(ReadOnlySpan<byte> table, ref int at, out int value)
    {
        uint raw = 0;
        var shift = 0;
        while (true)
        {
            if (at >= table.Length || shift > 28) { value = 0; return false; }
            var part = table[at++];
            raw |= (uint)(part & 0x3f) << shift;
            shift += 6;
            if ((part & 0x40) == 0) break;
        }
        value = (raw & 1) != 0 ? -(int)(raw >> 1) : (int)(raw >> 1);
        return true;
    }
}
