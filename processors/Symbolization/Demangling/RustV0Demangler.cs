using System.Globalization;

namespace Collector.Processors.Symbolization.Demangling;

/// <summary>
/// Rust v0 mangling (RFC 2603, "_R..."), printed as c++filt prints it in its default verbose mode: crate roots with
/// their disambiguator in hex ("core[c1f1a4ba060b9bfa]"), closures as "{closure#N}", constants as "value: type",
/// generic arguments of value paths as "::&lt;...&gt;". Back references are followed by re-reading the text they
/// point to, so nothing but the output is built; depth and output length are capped.
/// </summary>
internal sealed class RustV0Demangler
{
    private const int MaxDepth = 128;

    // Back references re-read text, and nested ones inside a skipped impl path print nothing, so the output cap
    // alone does not bound the work: every production also counts against this budget.
    private const int MaxSteps = 1 << 18;

    private string text = "";
    private int position;
    private int depth;
    private int steps;
    private int boundLifetimes;
    private int muted;
    private bool failed;
    private DemangleBuffer output = null!;

    public bool Demangle(string raw, DemangleBuffer buffer)
    {
        output = buffer;
        output.Reset();
        text = raw;
        position = 2;
        depth = 0;
        steps = 0;
        boundLifetimes = 0;
        muted = 0;
        failed = false;
        // An optional encoding version (decimal) precedes the path; only version 0 (absent) exists.
        if (position < text.Length && char.IsAsciiDigit(text[position])) return false;
        Path(inValue: true);
        if (failed) return false;
        // The instantiating crate that may follow is not printed.
        if (position < text.Length && char.IsAsciiLetterUpper(text[position]))
        {
            muted++;
            Path(inValue: false);
            muted--;
        }
        if (failed) return false;
        // Vendor suffixes (".llvm.1234") are not part of the name.
        return (position == text.Length || text[position] == '.') && !output.Overflowed;
    }

    // ---------------------------------------------------------------- paths

    /// <summary>Prints a path. With <paramref name="openGenerics"/> a trailing generic argument list is left open (for dyn bindings); returns whether it was.</summary>
    private bool Path(bool inValue, bool openGenerics = false)
    {
        if (!Enter()) return false;
        try
        {
            switch (Next())
            {
                case 'C':
                    {
                        var disambiguator = Disambiguator();
                        var (start, length, punycode) = Identifier();
                        if (failed || !WriteIdentifier(start, length, punycode)) return Fail();
                        Write('[');
                        WriteHex(disambiguator);
                        Write(']');
                        return false;
                    }
                case 'M':
                    SkipImplPath();
                    Write('<');
                    Type();
                    Write('>');
                    return false;
                case 'X':
                    SkipImplPath();
                    Write('<');
                    Type();
                    Write(" as ");
                    Path(inValue: false);
                    Write('>');
                    return false;
                case 'Y':
                    Write('<');
                    Type();
                    Write(" as ");
                    Path(inValue: false);
                    Write('>');
                    return false;
                case 'N':
                    {
                        var ns = Next();
                        if (!char.IsAsciiLetter(ns)) return Fail();
                        Path(inValue);
                        var disambiguator = Disambiguator();
                        var (start, length, punycode) = Identifier();
                        if (failed) return Fail();
                        if (char.IsAsciiLetterUpper(ns))
                        {
                            Write("::{");
                            if (ns == 'C') Write("closure");
                            else if (ns == 'S') Write("shim");
                            else Write(ns);
                            if (length > 0)
                            {
                                Write(':');
                                if (!WriteIdentifier(start, length, punycode)) return Fail();
                            }
                            Write('#');
                            WriteDecimal(disambiguator);
                            Write('}');
                        }
                        else if (length > 0)
                        {
                            Write("::");
                            if (!WriteIdentifier(start, length, punycode)) return Fail();
                        }
                        return false;
                    }
                case 'I':
                    {
                        Path(inValue);
                        if (inValue) Write("::");
                        Write('<');
                        var first = true;
                        while (!Consume('E'))
                        {
                            if (failed || AtEnd) return Fail();
                            if (!first) Write(", ");
                            first = false;
                            GenericArg();
                        }
                        if (!openGenerics) Write('>');
                        return openGenerics;
                    }
                case 'B':
                    return BackRef(Production.Path, inValue, openGenerics);
                default:
                    return Fail();
            }
        }
        finally { depth--; }
    }

    private void SkipImplPath()
    {
        muted++;
        Disambiguator();
        Path(inValue: false);
        muted--;
    }

    private void GenericArg()
    {
        if (Consume('L'))
        {
            Lifetime(Base62());
        }
        else if (Consume('K'))
        {
            Const();
        }
        else
        {
            Type();
        }
    }

    // ---------------------------------------------------------------- types

    private void Type()
    {
        if (!Enter()) return;
        try
        {
            var c = Peek();
            var basic = BasicType(c);
            if (basic is not null)
            {
                position++;
                Write(basic);
                return;
            }
            switch (c)
            {
                case 'R':
                case 'Q':
                    position++;
                    Write('&');
                    if (Consume('L'))
                    {
                        var lifetime = Base62();
                        if (lifetime != 0)
                        {
                            Lifetime(lifetime);
                            Write(' ');
                        }
                    }
                    if (c == 'Q') Write("mut ");
                    Type();
                    return;
                case 'P':
                    position++;
                    Write("*const ");
                    Type();
                    return;
                case 'O':
                    position++;
                    Write("*mut ");
                    Type();
                    return;
                case 'A':
                    position++;
                    Write('[');
                    Type();
                    Write("; ");
                    Const();
                    Write(']');
                    return;
                case 'S':
                    position++;
                    Write('[');
                    Type();
                    Write(']');
                    return;
                case 'T':
                    {
                        position++;
                        Write('(');
                        var count = 0;
                        while (!Consume('E'))
                        {
                            if (failed || AtEnd)
                            {
                                Fail();
                                return;
                            }
                            if (count > 0) Write(", ");
                            Type();
                            count++;
                        }
                        if (count == 1) Write(',');
                        Write(')');
                        return;
                    }
                case 'F':
                    position++;
                    FnSig();
                    return;
                case 'D':
                    position++;
                    DynBounds();
                    return;
                case 'B':
                    position++;
                    BackRef(Production.Type);
                    return;
                default:
                    Path(inValue: false);
                    return;
            }
        }
        finally { depth--; }
    }

    private static string? BasicType(char c) => c switch
    {
        'a' => "i8",
        'b' => "bool",
        'c' => "char",
        'd' => "f64",
        'e' => "str",
        'f' => "f32",
        'h' => "u8",
        'i' => "isize",
        'j' => "usize",
        'l' => "i32",
        'm' => "u32",
        'n' => "i128",
        'o' => "u128",
        's' => "i16",
        't' => "u16",
        'u' => "()",
        'v' => "...",
        'x' => "i64",
        'y' => "u64",
        'z' => "!",
        'p' => "_",
        _ => null,
    };

    private void FnSig()
    {
        var saved = boundLifetimes;
        Binder();
        if (Consume('U')) Write("unsafe ");
        if (Consume('K'))
        {
            Write("extern \"");
            if (Consume('C'))
            {
                Write('C');
            }
            else
            {
                var (start, length, punycode) = Identifier();
                if (failed || punycode)
                {
                    Fail();
                    return;
                }
                foreach (var ch in text.AsSpan(start, length)) Write(ch == '_' ? '-' : ch);
            }
            Write("\" ");
        }
        Write("fn(");
        var first = true;
        while (!Consume('E'))
        {
            if (failed || AtEnd)
            {
                Fail();
                return;
            }
            if (!first) Write(", ");
            first = false;
            Type();
        }
        Write(')');
        if (Consume('u'))
        {
            // A unit return type is not printed.
        }
        else
        {
            Write(" -> ");
            Type();
        }
        boundLifetimes = saved;
    }

    private void DynBounds()
    {
        var saved = boundLifetimes;
        Write("dyn ");
        Binder();
        var first = true;
        while (!Consume('E'))
        {
            if (failed || AtEnd)
            {
                Fail();
                return;
            }
            if (!first) Write(" + ");
            first = false;
            DynTrait();
        }
        if (!Consume('L'))
        {
            Fail();
            return;
        }
        var lifetime = Base62();
        if (lifetime != 0)
        {
            Write(" + ");
            Lifetime(lifetime);
        }
        boundLifetimes = saved;
    }

    private void DynTrait()
    {
        var open = Path(inValue: false, openGenerics: true);
        var first = true;
        while (Consume('p'))
        {
            Write(open ? ", " : first ? "<" : ", ");
            open = false;
            first = false;
            var (start, length, punycode) = Identifier(allowDisambiguator: false);
            if (failed || !WriteIdentifier(start, length, punycode))
            {
                Fail();
                return;
            }
            Write(" = ");
            Type();
        }
        if (open || !first) Write('>');
    }

    /// <summary>binder: G base-62 — introduces that many + 1 lifetimes, printed "for&lt;'a, 'b&gt; ".</summary>
    private void Binder()
    {
        if (!Consume('G')) return;
        var count = (int)Math.Min(Base62() + 1, 1000);
        if (failed || count > 64)
        {
            Fail();
            return;
        }
        Write("for<");
        for (var i = 0; i < count; i++)
        {
            if (i > 0) Write(", ");
            boundLifetimes++;
            Lifetime(1);
        }
        Write("> ");
    }

    /// <summary>Lifetime index i (0 = erased '_) names the binder level counted from the innermost.</summary>
    private void Lifetime(ulong index)
    {
        Write('\'');
        if (index == 0)
        {
            Write('_');
            return;
        }
        var level = boundLifetimes - (long)Math.Min(index, int.MaxValue);
        if (level < 0)
        {
            Fail();
            return;
        }
        if (level < 26)
        {
            Write((char)('a' + level));
        }
        else
        {
            Write('_');
            WriteDecimal(level);
        }
    }

    private void Const()
    {
        if (!Enter()) return;
        try
        {
            if (Consume('p'))
            {
                Write('_');
                return;
            }
            if (Consume('B'))
            {
                BackRef(Production.Const);
                return;
            }
            var typeCode = Next();
            var typeName = BasicType(typeCode);
            if (typeName is null)
            {
                Fail();
                return;
            }
            var negative = Consume('n');
            var start = position;
            while (!AtEnd && char.IsAsciiHexDigitLower(Peek()) || char.IsAsciiDigit(Peek())) position++;
            var digits = text.AsSpan(start, position - start);
            if (!Consume('_') || digits.Length > 32)
            {
                Fail();
                return;
            }
            UInt128 value = 0;
            foreach (var h in digits) value = value * 16 + (uint)(char.IsAsciiDigit(h) ? h - '0' : h - 'a' + 10);
            switch (typeCode)
            {
                case 'b':
                    if (value > 1 || negative)
                    {
                        Fail();
                        return;
                    }
                    Write(value == 1 ? "true" : "false");
                    break;
                case 'c':
                    if (value > 0x10FFFF || negative)
                    {
                        Fail();
                        return;
                    }
                    Write('\'');
                    Write(char.ConvertFromUtf32((int)value));
                    Write('\'');
                    break;
                default:
                    if (negative) Write('-');
                    Span<char> buffer = stackalloc char[48];
                    if (value.TryFormat(buffer, out var written, default, CultureInfo.InvariantCulture)) Write(buffer[..written]);
                    break;
            }
            Write(": ");
            Write(typeName);
        }
        finally { depth--; }
    }

    // ---------------------------------------------------------------- lexical pieces

    private enum Production
    {
        Path,
        Type,
        Const,
    }

    /// <summary>Prints the production found at the back reference's target by reading it again.</summary>
    private bool BackRef(Production production, bool inValue = false, bool openGenerics = false)
    {
        var target = Base62();
        // Offsets count from after "_R" and must point backwards.
        if (failed || target + 2 >= (ulong)position - 1) return Fail();
        var absolute = (int)target + 2;
        var saved = position;
        position = absolute;
        var result = production switch
        {
            Production.Path => Path(inValue, openGenerics),
            Production.Type => TypeThenFalse(),
            _ => ConstThenFalse(),
        };
        position = saved;
        return result;
    }

    private bool TypeThenFalse()
    {
        Type();
        return false;
    }

    private bool ConstThenFalse()
    {
        Const();
        return false;
    }

    /// <summary>[s base-62] → 0 when absent, else the number + 1.</summary>
    private ulong Disambiguator() => Consume('s') ? Base62() + 1 : 0;

    /// <summary>base-62-number: "_" is 0; digits then "_" are the value + 1 (crate hashes use all 64 bits).</summary>
    private ulong Base62()
    {
        if (Consume('_')) return 0;
        UInt128 value = 0;
        while (true)
        {
            var c = Next();
            int digit;
            if (c >= '0' && c <= '9') digit = c - '0';
            else if (c >= 'a' && c <= 'z') digit = c - 'a' + 10;
            else if (c >= 'A' && c <= 'Z') digit = c - 'A' + 36;
            else if (c == '_') return (ulong)(value + 1);
            else
            {
                Fail();
                return 0;
            }
            value = value * 62 + (uint)digit;
            if (value >= ulong.MaxValue - 1)
            {
                Fail();
                return 0;
            }
        }
    }

    /// <summary>[disambiguator] ["u"] decimal ["_"] bytes → the bytes' span; punycode is reported, not decoded.</summary>
    private (int Start, int Length, bool Punycode) Identifier(bool allowDisambiguator = true)
    {
        if (allowDisambiguator && Peek() == 's') Disambiguator();
        var punycode = Consume('u');
        if (!char.IsAsciiDigit(Peek()))
        {
            Fail();
            return (0, 0, false);
        }
        var length = 0;
        if (Peek() == '0')
        {
            position++;
        }
        else
        {
            while (char.IsAsciiDigit(Peek()))
            {
                length = length * 10 + (Next() - '0');
                if (length > text.Length)
                {
                    Fail();
                    return (0, 0, false);
                }
            }
        }
        Consume('_');
        if (text.Length - position < length)
        {
            Fail();
            return (0, 0, false);
        }
        var start = position;
        position += length;
        return (start, length, punycode);
    }

    /// <summary>Writes an identifier, decoding punycode; false when the punycode is malformed.</summary>
    private bool WriteIdentifier(int start, int length, bool punycode)
    {
        if (!punycode)
        {
            Write(text.AsSpan(start, length));
            return true;
        }
        Span<int> codePoints = stackalloc int[256];
        if (!Punycode.TryDecode(text.AsSpan(start, length), codePoints, out var count)) return false;
        if (muted == 0) Punycode.Append(codePoints[..count], output);
        return true;
    }

    private bool Enter()
    {
        if (failed) return false;
        if (++depth > MaxDepth || ++steps > MaxSteps || output.Overflowed)
        {
            depth--;
            failed = true;
            return false;
        }
        return true;
    }

    private bool Fail()
    {
        failed = true;
        return false;
    }

    private bool AtEnd => position >= text.Length;

    private char Peek() => position < text.Length ? text[position] : '\0';

    private char Next() => position < text.Length ? text[position++] : '\0';

    private bool Consume(char c)
    {
        if (position < text.Length && text[position] == c)
        {
            position++;
            return true;
        }
        return false;
    }

    private void Write(char c)
    {
        if (muted == 0) output.Append(c);
    }

    private void Write(ReadOnlySpan<char> value)
    {
        if (muted == 0) output.Append(value);
    }

    private void WriteDecimal(ulong value)
    {
        Span<char> buffer = stackalloc char[24];
        if (value.TryFormat(buffer, out var written, default, CultureInfo.InvariantCulture)) Write(buffer[..written]);
    }

    private void WriteDecimal(long value)
    {
        if (muted == 0) output.Append(value);
    }

    private void WriteHex(ulong value)
    {
        Span<char> buffer = stackalloc char[16];
        if (value.TryFormat(buffer, out var written, "x", CultureInfo.InvariantCulture)) Write(buffer[..written]);
    }
}
