using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Collector.Processors.Symbolization.Kernel;

/// <summary>
/// Reads the text of <c>/proc/kallsyms</c>: lines <c>ADDRESS TYPE NAME</c>, hexadecimal address without 0x,
/// and for a module's symbols a tab and <c>[module]</c> after the name. Only code symbols are kept (types
/// t/T and weak w/W): stacks point at code. Malformed lines are skipped and counted.
/// </summary>
/// <remarks>
/// The file has over 100,000 lines and is read at start-up and again when a module loads, so lines are parsed
/// as the UTF-8 bytes they are, with no string per line. They are judged as the text a <see cref="TextReader"/>
/// would decode (white space, the one-character type), so odd bytes are treated the same either way.
/// </remarks>
internal static class KallsymsParser
{
    public static KernelSymbolTable Parse(Stream stream, out int malformedLines)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var lines = new Utf8LineReader(stream);
        var symbols = new KernelSymbolTableBuilder();
        ulong coreTextEnd = 0;
        var anyAddress = false;
        malformedLines = 0;
        while (lines.TryReadLine(out var line))
        {
            if (line.IsEmpty) continue;
            if (!TryParseLine(line, out var address, out var type, out var name, out var module))
            {
                malformedLines++;
                continue;
            }
            if (address != 0) anyAddress = true;
            if (module.IsEmpty && name.SequenceEqual("_etext"u8))
            {
                // A marker, not code: it ends the last core function instead of naming what follows.
                coreTextEnd = address;
                continue;
            }
            if (type is not ('t' or 'T' or 'w' or 'W')) continue;
            symbols.Add(address, name, module);
        }
        return symbols.Build(coreTextEnd, addressesHidden: symbols.Count > 0 && !anyAddress);
    }

    private static bool TryParseLine(ReadOnlySpan<byte> line, out ulong address, out char type, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> module)
    {
        address = 0;
        type = '\0';
        name = default;
        module = default;
        var firstSpace = line.IndexOf((byte)' ');
        if (firstSpace <= 0) return false;
        // One character, decoded: a byte that starts a longer sequence is not a type followed by garbage.
        Rune.DecodeFromUtf8(line[(firstSpace + 1)..], out var typeRune, out var typeLength);
        var typeEnd = firstSpace + 1 + typeLength;
        if (!typeRune.IsBmp || typeEnd >= line.Length || line[typeEnd] != (byte)' ') return false;
        if (!TryParseAddress(line[..firstSpace], out address)) return false;
        type = (char)typeRune.Value;
        var rest = line[(typeEnd + 1)..];
        var tab = rest.IndexOf((byte)'\t');
        if (tab >= 0)
        {
            var tail = Trim(rest[(tab + 1)..]);
            rest = rest[..tab];
            if (tail.Length < 3 || tail[0] != (byte)'[' || tail[^1] != (byte)']') return false;
            module = tail[1..^1];
        }
        name = Trim(rest);
        return !name.IsEmpty;
    }

    private static bool TryParseAddress(ReadOnlySpan<byte> digits, out ulong address)
    {
        // A 64-bit kernel writes 16 digits on every line, and decoding them as 8 bytes costs half of what
        // ulong.TryParse does. Every other form (fewer digits, more leading zeros, overflow) is still its to judge.
        Span<byte> bytes = stackalloc byte[sizeof(ulong)];
        if (digits.Length == 2 * sizeof(ulong) && Convert.FromHexString(digits, bytes, out _, out _) == OperationStatus.Done)
        {
            address = BinaryPrimitives.ReadUInt64BigEndian(bytes);
            return true;
        }
        return ulong.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out address);
    }

    /// <summary>Cuts the white space <see cref="string.Trim()"/> would cut from the decoded text.</summary>
    private static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> text)
    {
        while (!text.IsEmpty)
        {
            Rune.DecodeFromUtf8(text, out var first, out var length);
            if (!Rune.IsWhiteSpace(first)) break;
            text = text[length..];
        }
        while (!text.IsEmpty)
        {
            Rune.DecodeLastFromUtf8(text, out var last, out var length);
            if (!Rune.IsWhiteSpace(last)) break;
            text = text[..^length];
        }
        return text;
    }
}
