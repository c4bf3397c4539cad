namespace Collector.Processors.Elf;

/// <summary>A program header (segment): where <see cref="FileSize"/> bytes at <see cref="FileOffset"/> are mapped.</summary>
public readonly record struct ElfSegment(uint Type, uint Flags, ulong FileOffset, ulong VirtualAddress, ulong FileSize, ulong MemorySize, ulong Alignment)
{
    internal static ElfSegment Read(ElfReader reader, ulong at) => reader.Is64Bit
        ? new ElfSegment(
            Type: reader.U32(at), Flags: reader.U32(at + 4), FileOffset: reader.U64(at + 8), VirtualAddress: reader.U64(at + 16),
            FileSize: reader.U64(at + 32), MemorySize: reader.U64(at + 40), Alignment: reader.U64(at + 48))
        : new ElfSegment(
            Type: reader.U32(at), Flags: reader.U32(at + 24), FileOffset: reader.U32(at + 4), VirtualAddress: reader.U32(at + 8),
            FileSize: reader.U32(at + 16), MemorySize: reader.U32(at + 20), Alignment: reader.U32(at + 28));

    /// <summary>True when the file byte at <paramref name="fileOffset"/> is part of this segment's file image.</summary>
    public bool ContainsFileOffset(ulong fileOffset) => fileOffset >= FileOffset && fileOffset - FileOffset < FileSize;

    /// <summary>True when <paramref name="virtualAddress"/> falls in the part of the segment backed by the file.</summary>
    public bool ContainsVirtualAddress(ulong virtualAddress) => virtualAddress >= VirtualAddress && virtualAddress - VirtualAddress < FileSize;
}
