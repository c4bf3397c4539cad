namespace Collector.Processors.Elf;

/// <summary>One section header, decoded. Offsets and sizes are as the file claims; users check them before reading.</summary>
internal readonly record struct ElfSection(
    uint NameOffset,
    uint Type,
    ulong Flags,
    ulong Address,
    ulong Offset,
    ulong Size,
    uint Link,
    uint Info,
    ulong Alignment,
    ulong EntrySize)
{
    public bool IsAllocated => (Flags & ElfConstants.ShfAlloc) != 0;

    /// <summary>The address just past the section, or null when address + size overflows.</summary>
    public ulong? AddressEnd => Address <= ulong.MaxValue - Size ? Address + Size : null;

    public static ElfSection Read(ElfReader reader, ulong at) => reader.Is64Bit
        ? new ElfSection(
            reader.U32(at), reader.U32(at + 4), reader.U64(at + 8), reader.U64(at + 16), reader.U64(at + 24),
            reader.U64(at + 32), reader.U32(at + 40), reader.U32(at + 44), reader.U64(at + 48), reader.U64(at + 56))
        : new ElfSection(
            reader.U32(at), reader.U32(at + 4), reader.U32(at + 8), reader.U32(at + 12), reader.U32(at + 16),
            reader.U32(at + 20), reader.U32(at + 24), reader.U32(at + 28), reader.U32(at + 32), reader.U32(at + 36));
}
