using System.Buffers.Binary;
using Collector.Unwinding.Table;

namespace Collector.Unwinding.Dwarf;

/// <summary>
/// Reads little-endian fields and LEB128 numbers from a span. <see cref="Position"/> counts from the span's start,
/// so a reader over a whole section reports section offsets (pc-relative pointers need them). Reading past the end
/// raises <see cref="CallFrameFormatException"/> with <see cref="UnwindIssue.FieldTruncated"/>.
/// </summary>
internal ref struct SpanReader(ReadOnlySpan<byte> data, int position)
{
    private readonly ReadOnlySpan<byte> _data = data;

    public int Position { get; set; } = position;

    public readonly int End => _data.Length;

    public readonly bool AtEnd => Position >= _data.Length;

    public byte U8()
    {
        if ((uint)Position >= (uint)_data.Length) throw Truncated();
        return _data[Position++];
    }

    public ushort U16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2));

    public uint U32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

    public ulong U64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

    public ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || count > _data.Length - Position) throw Truncated();
        var taken = _data.Slice(Position, count);
        Position += count;
        return taken;
    }

    public void Skip(ulong count)
    {
        if (count > (ulong)(_data.Length - Position)) throw Truncated();
        Position += (int)count;
    }

    public ulong Uleb128()
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = U8();
            // Bits beyond 64 are dropped rather than wrapped: C# masks shift counts, which would corrupt low bits.
            if (shift < 64) value |= (ulong)(b & 0x7f) << shift;
            if ((b & 0x80) == 0) return value;
        }
    }

    public long Sleb128()
    {
        long value = 0;
        var shift = 0;
        byte b;
        do
        {
            b = U8();
            if (shift < 64) value |= (long)(b & 0x7f) << shift;
            shift += 7;
        }
        while ((b & 0x80) != 0);
        if (shift < 64 && (b & 0x40) != 0) value |= -1L << shift;
        return value;
    }

    /// <summary>A NUL-terminated string, without its terminator.</summary>
    public ReadOnlySpan<byte> CString()
    {
        if ((uint)Position > (uint)_data.Length) throw Truncated();
        var length = _data[Position..].IndexOf((byte)0);
        if (length < 0) throw Truncated();
        var text = _data.Slice(Position, length);
        Position += length + 1;
        return text;
    }

    private static CallFrameFormatException Truncated() => new(UnwindIssue.FieldTruncated);
}
