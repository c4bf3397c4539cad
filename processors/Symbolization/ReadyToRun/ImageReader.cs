using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Collector.Processors.Symbolization.ReadyToRun;

/// <summary>
/// Reads a PE image by relative virtual address (RVA), the way the runtime addresses ReadyToRun tables once the
/// image is mapped, over the file as it is on disk (each RVA turned into a file offset through the section
/// headers). Out-of-range reads throw <see cref="BadImageFormatException"/>, so a damaged image fails its parse
/// rather than the process.
/// </summary>
internal sealed class ImageReader(PEReader pe)
{
    private BlobReader _image = pe.GetEntireImage().GetReader();

    public byte Byte(uint rva)
    {
        Seek(rva);
        return _image.ReadByte();
    }

    public ushort UInt16(uint rva)
    {
        Seek(rva);
        return _image.ReadUInt16();
    }

    public uint UInt32(uint rva)
    {
        Seek(rva);
        return _image.ReadUInt32();
    }

    /// <summary>An unsigned integer in the Native Format encoding (low bits of the first byte give the length); returns the RVA after it.</summary>
    public uint DecodeUnsigned(uint rva, out uint value)
    {
        var first = Byte(rva);
        if ((first & 1) == 0)
        {
            value = (uint)(first >> 1);
            return rva + 1;
        }
        if ((first & 2) == 0)
        {
            value = (uint)(first >> 2) | ((uint)Byte(rva + 1) << 6);
            return rva + 2;
        }
        if ((first & 4) == 0)
        {
            value = (uint)(first >> 3) | ((uint)Byte(rva + 1) << 5) | ((uint)Byte(rva + 2) << 13);
            return rva + 3;
        }
        if ((first & 8) == 0)
        {
            value = (uint)(first >> 4) | ((uint)Byte(rva + 1) << 4) | ((uint)Byte(rva + 2) << 12) | ((uint)Byte(rva + 3) << 20);
            return rva + 4;
        }
        if ((first & 16) == 0)
        {
            value = UInt32(rva + 1);
            return rva + 5;
        }
        throw new BadImageFormatException($"bad Native Format integer at RVA 0x{rva:x}");
    }

    /// <summary>A signed integer in the Native Format encoding; returns the RVA after it.</summary>
    public uint DecodeSigned(uint rva, out int value)
    {
        var first = Byte(rva);
        if ((first & 1) == 0)
        {
            value = (sbyte)first >> 1;
            return rva + 1;
        }
        if ((first & 2) == 0)
        {
            value = (first >> 2) | ((sbyte)Byte(rva + 1) << 6);
            return rva + 2;
        }
        if ((first & 4) == 0)
        {
            value = (first >> 3) | (Byte(rva + 1) << 5) | ((sbyte)Byte(rva + 2) << 13);
            return rva + 3;
        }
        if ((first & 8) == 0)
        {
            value = (first >> 4) | (Byte(rva + 1) << 4) | (Byte(rva + 2) << 12) | ((sbyte)Byte(rva + 3) << 20);
            return rva + 4;
        }
        if ((first & 16) == 0)
        {
            value = (int)UInt32(rva + 1);
            return rva + 5;
        }
        throw new BadImageFormatException($"bad Native Format integer at RVA 0x{rva:x}");
    }

    /// <summary>An ECMA-335 compressed unsigned integer (signatures use these, not the Native Format); returns the RVA after it.</summary>
    public uint CompressedUnsigned(uint rva, out uint value)
    {
        var first = Byte(rva);
        if ((first & 0x80) == 0)
        {
            value = first;
            return rva + 1;
        }
        if ((first & 0xC0) == 0x80)
        {
            value = ((uint)(first & 0x3F) << 8) | Byte(rva + 1);
            return rva + 2;
        }
        if ((first & 0xE0) == 0xC0)
        {
            value = ((uint)(first & 0x1F) << 24) | ((uint)Byte(rva + 1) << 16) | ((uint)Byte(rva + 2) << 8) | Byte(rva + 3);
            return rva + 4;
        }
        throw new BadImageFormatException($"bad compressed integer at RVA 0x{rva:x}");
    }

    /// <summary>The file offset of <paramref name="rva"/>, through the section that holds it.</summary>
    public bool TryFileOffset(uint rva, out int offset) => pe.PEHeaders.TryGetDirectoryOffset(new DirectoryEntry((int)rva, 1), out offset);

    private void Seek(uint rva)
    {
        if (rva > int.MaxValue || !TryFileOffset(rva, out var offset)) throw new BadImageFormatException($"RVA 0x{rva:x} is in no section");
        _image.Offset = offset;
    }
}

/// <summary>Where each section of a PE image lies in the file and in memory, kept to turn a frame's file offset into an RVA.</summary>
internal sealed class ImageSections((long FileOffset, long FileSize, uint Rva)[] sections)
{
    public static ImageSections Of(PEReader pe) =>
        new([.. pe.PEHeaders.SectionHeaders.Select(s => ((long)s.PointerToRawData, (long)s.SizeOfRawData, (uint)s.VirtualAddress))]);

    /// <summary>The RVA a file offset is loaded at, or false when no section holds that offset.</summary>
    public bool TryRva(ulong fileOffset, out uint rva)
    {
        foreach (var (offset, size, start) in sections)
        {
            if (fileOffset >= (ulong)offset && fileOffset < (ulong)(offset + size))
            {
                rva = (uint)(fileOffset - (ulong)offset + start);
                return true;
            }
        }
        rva = 0;
        return false;
    }
}
