using System.Buffers.Binary;

namespace Collector.Processors.Elf;

/// <summary>
/// Bounds-checked, endian-aware reads of fixed-size fields from an untrusted ELF image. Every offset comes from
/// the file, so every read checks it against the image and fails with <see cref="ElfFormatException"/> rather
/// than an index or overflow exception.
/// </summary>
internal readonly ref struct ElfReader
{
    private readonly ReadOnlySpan<byte> _image;

    public ElfReader(ReadOnlySpan<byte> image, bool is64Bit, bool littleEndian)
    {
        _image = image;
        Is64Bit = is64Bit;
        LittleEndian = littleEndian;
    }

    public bool Is64Bit { get; }

    public bool LittleEndian { get; }

    public ReadOnlySpan<byte> Image => _image;

    public byte U8(ulong offset) => Slice(offset, 1)[0];

    public ushort U16(ulong offset)
    {
        var bytes = Slice(offset, 2);
        return LittleEndian ? BinaryPrimitives.ReadUInt16LittleEndian(bytes) : BinaryPrimitives.ReadUInt16BigEndian(bytes);
    }

    public uint U32(ulong offset)
    {
        var bytes = Slice(offset, 4);
        return LittleEndian ? BinaryPrimitives.ReadUInt32LittleEndian(bytes) : BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }

    public ulong U64(ulong offset)
    {
        var bytes = Slice(offset, 8);
        return LittleEndian ? BinaryPrimitives.ReadUInt64LittleEndian(bytes) : BinaryPrimitives.ReadUInt64BigEndian(bytes);
    }

    /// <summary>An address, offset or size field: 4 bytes in ELF32, 8 in ELF64.</summary>
    public ulong Word(ulong offset) => Is64Bit ? U64(offset) : U32(offset);

    /// <summary>True when [offset, offset + length) lies inside the image (without overflowing).</summary>
    public bool Contains(ulong offset, ulong length) => Fits(_image.Length, offset, length);

    public ReadOnlySpan<byte> Slice(ulong offset, ulong length)
    {
        if (!Contains(offset, length))
        {
            throw new ElfFormatException($"{length} bytes at offset {offset} lie outside the {_image.Length}-byte file");
        }
        return _image.Slice((int)offset, (int)length);
    }

    public static bool Fits(int imageLength, ulong offset, ulong length) =>
        offset <= (ulong)imageLength && length <= (ulong)imageLength - offset;
}
