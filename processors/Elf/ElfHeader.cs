namespace Collector.Processors.Elf;

/// <summary>The fields of the ELF file header the reader uses, decoded for either class and byte order.</summary>
internal readonly record struct ElfHeader(
    bool Is64Bit,
    bool LittleEndian,
    ushort Type,
    ushort Machine,
    ulong ProgramHeaderOffset,
    ulong SectionHeaderOffset,
    ushort ProgramHeaderEntrySize,
    ushort ProgramHeaderCount,
    ushort SectionHeaderEntrySize,
    ushort SectionHeaderCount,
    ushort SectionNameTableIndex)
{
    /// <summary>Decodes the header; anything but a well-formed ELF32/ELF64 header is an <see cref="ElfFormatException"/>.</summary>
    public static ElfHeader Parse(ReadOnlySpan<byte> image)
    {
        if (image.Length < ElfConstants.IdentSize || image[0] != 0x7f || image[1] != (byte)'E' || image[2] != (byte)'L' || image[3] != (byte)'F')
        {
            throw new ElfFormatException("no ELF magic");
        }
        var is64Bit = image[4] switch
        {
            ElfConstants.ClassElf32 => false,
            ElfConstants.ClassElf64 => true,
            _ => throw new ElfFormatException($"unknown ELF class {image[4]}"),
        };
        var littleEndian = image[5] switch
        {
            ElfConstants.DataLittleEndian => true,
            ElfConstants.DataBigEndian => false,
            _ => throw new ElfFormatException($"unknown ELF data encoding {image[5]}"),
        };
        var size = is64Bit ? ElfConstants.Elf64HeaderSize : ElfConstants.Elf32HeaderSize;
        if (image.Length < size)
        {
            throw new ElfFormatException($"the file ends inside the ELF header ({image.Length} of {size} bytes)");
        }
        var reader = new ElfReader(image, is64Bit, littleEndian);
        // After e_entry the two classes differ only in the width of the three address-sized fields.
        ulong word = is64Bit ? 8u : 4u;
        var phoff = 24 + word;
        var shoff = phoff + word;
        var sizes = shoff + word + 4 + 2; // e_flags, e_ehsize
        return new ElfHeader(
            is64Bit,
            littleEndian,
            Type: reader.U16(16),
            Machine: reader.U16(18),
            ProgramHeaderOffset: reader.Word(phoff),
            SectionHeaderOffset: reader.Word(shoff),
            ProgramHeaderEntrySize: reader.U16(sizes),
            ProgramHeaderCount: reader.U16(sizes + 2),
            SectionHeaderEntrySize: reader.U16(sizes + 4),
            SectionHeaderCount: reader.U16(sizes + 6),
            SectionNameTableIndex: reader.U16(sizes + 8));
    }
}
