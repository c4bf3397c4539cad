using Collector.Unwinding.Table;

namespace Collector.Unwinding.Dwarf;

/// <summary>
/// The DW_EH_PE pointer encodings of .eh_frame and .eh_frame_hdr: a value format in the low nibble, what it is
/// relative to in bits 4–6, and bit 7 meaning "the result is the address of the pointer, not the pointer".
/// </summary>
internal static class PointerEncoding
{
    public const byte Omit = 0xff;
    public const byte Absolute = 0x00;
    public const byte Indirect = 0x80;
    private const byte PcRelative = 0x10;
    private const byte TextRelative = 0x20;
    private const byte DataRelative = 0x30;
    private const byte FunctionRelative = 0x40;

    /// <summary>Reads a value in <paramref name="encoding"/> and applies its base. Indirection is left to the caller.</summary>
    public static ulong Read(ref SpanReader reader, byte encoding, in PointerBases bases)
    {
        var fieldAddress = bases.Section + (ulong)reader.Position;
        var value = ReadValue(ref reader, encoding);
        return (encoding & 0x70) switch
        {
            0 => value,
            PcRelative => unchecked(value + fieldAddress),
            TextRelative when bases.Text is { } text => unchecked(value + text),
            DataRelative when bases.Data is { } data => unchecked(value + data),
            FunctionRelative when bases.Function is { } function => unchecked(value + function),
            _ => throw new CallFrameFormatException(UnwindIssue.PointerEncodingUnsupported),
        };
    }

    /// <summary>Reads the value alone: for an FDE's address range, whose encoding names a format but never a base.</summary>
    public static ulong ReadValue(ref SpanReader reader, byte encoding) => (encoding & 0x0f) switch
    {
        0x00 => reader.U64(), // absptr: the address size, 8 on x86-64
        0x01 => reader.Uleb128(),
        0x02 => reader.U16(),
        0x03 => reader.U32(),
        0x04 => reader.U64(),
        0x09 => (ulong)reader.Sleb128(),
        0x0a => (ulong)(long)(short)reader.U16(),
        0x0b => (ulong)(long)(int)reader.U32(),
        0x0c => reader.U64(),
        _ => throw new CallFrameFormatException(UnwindIssue.PointerEncodingUnsupported),
    };
}

/// <summary>
/// The addresses pointer encodings are relative to: the section being read (pc-relative uses the address of the
/// field itself), .text, the data base (.got for .eh_frame, the header itself for .eh_frame_hdr) and the function.
/// </summary>
internal readonly record struct PointerBases(ulong Section, ulong? Text, ulong? Data, ulong? Function = null);
