using System.Buffers.Binary;
using System.Text;

namespace Collector.Unwinding.Elf;

/// <summary>
/// The few parts of a little-endian ELF64 x86-64 file that unwind tables need: named sections and PT_LOAD segments.
/// Deliberately small and separate from processors/Elf (a component this project may not reference); the two should
/// become one shared reader. Every offset and count is checked against the file's length before use.
/// </summary>
internal sealed class ElfImage
{
    private const int HeaderSize = 64;
    private const int SectionHeaderSize = 64;
    private const int ProgramHeaderSize = 56;
    private const ushort MachineX86_64 = 62;
    private const uint SectionTypeNoBits = 8;
    private const uint SegmentTypeLoad = 1;
    private const uint SegmentFlagExecute = 1;

    private readonly ReadOnlyMemory<byte> _file;
    private readonly List<ElfSection> _sections;

    private ElfImage(ReadOnlyMemory<byte> file, List<ElfSection> sections, List<LoadSegment> loads)
    {
        _file = file;
        _sections = sections;
        LoadSegments = loads;
    }

    public IReadOnlyList<LoadSegment> LoadSegments { get; }

    /// <summary>Reads the tables of <paramref name="file"/>, or returns null when it is not an ELF64 x86-64 file or they do not fit in it.</summary>
    public static ElfImage? TryRead(ReadOnlyMemory<byte> file)
    {
        var bytes = file.Span;
        if (bytes.Length < HeaderSize || !bytes[..4].SequenceEqual("\u007fELF"u8)) return null;
        if (bytes[4] != 2 || bytes[5] != 1 || U16(bytes, 18) != MachineX86_64) return null;
        var sectionTable = U64(bytes, 0x28);
        var sectionCount = (ulong)U16(bytes, 0x3c);
        var namesIndex = (ulong)U16(bytes, 0x3e);
        if (sectionTable != 0 && U16(bytes, 0x3a) != SectionHeaderSize) return null;
        if (sectionTable != 0 && !Fits(bytes, sectionTable, SectionHeaderSize)) return null;
        if (sectionTable != 0 && sectionCount == 0) sectionCount = U64(bytes, (int)sectionTable + 32); // extended numbering
        if (sectionTable != 0 && namesIndex == 0xffff) namesIndex = U32(bytes, (int)sectionTable + 40);
        if (sectionTable == 0) sectionCount = 0;
        if (sectionCount > (ulong)bytes.Length / SectionHeaderSize || !Fits(bytes, sectionTable, sectionCount * SectionHeaderSize)) return null;

        var programTable = U64(bytes, 0x20);
        var programCount = (ulong)U16(bytes, 0x38);
        if (programTable != 0 && programCount != 0 && U16(bytes, 0x36) != ProgramHeaderSize) return null;
        if (programTable == 0) programCount = 0;
        if (!Fits(bytes, programTable, programCount * ProgramHeaderSize)) return null;

        var loads = new List<LoadSegment>();
        for (var i = 0; i < (int)programCount; i++)
        {
            var header = (int)programTable + i * ProgramHeaderSize;
            if (U32(bytes, header) != SegmentTypeLoad) continue;
            loads.Add(new LoadSegment(U64(bytes, header + 16), U64(bytes, header + 40), U64(bytes, header + 8), U64(bytes, header + 32),
                (U32(bytes, header + 4) & SegmentFlagExecute) != 0));
        }

        var names = ReadOnlySpan<byte>.Empty;
        if (namesIndex < sectionCount)
        {
            var header = (int)sectionTable + (int)namesIndex * SectionHeaderSize;
            var (offset, size) = (U64(bytes, header + 24), U64(bytes, header + 32));
            if (U32(bytes, header + 4) != SectionTypeNoBits && Fits(bytes, offset, size)) names = bytes.Slice((int)offset, (int)size);
        }
        var sections = new List<ElfSection>((int)sectionCount);
        for (var i = 0; i < (int)sectionCount; i++)
        {
            var header = (int)sectionTable + i * SectionHeaderSize;
            var (type, address, offset, size) = (U32(bytes, header + 4), U64(bytes, header + 16), U64(bytes, header + 24), U64(bytes, header + 32));
            var data = ReadOnlyMemory<byte>.Empty;
            if (type != SectionTypeNoBits)
            {
                if (!Fits(bytes, offset, size)) continue; // a section pointing outside the file is left out, not trusted
                data = file.Slice((int)offset, (int)size);
            }
            sections.Add(new ElfSection(NameAt(names, U32(bytes, header)), address, size, data));
        }
        return new ElfImage(file, sections, loads);
    }

    /// <summary>The first section called <paramref name="name"/>, with or without contents.</summary>
    public ElfSection? Find(string name)
    {
        foreach (var section in _sections)
        {
            if (section.Name == name) return section;
        }
        return null;
    }

    /// <summary>Whether [start, end) lies inside one executable PT_LOAD segment; true for files without program headers.</summary>
    public bool IsExecutableRange(ulong start, ulong end)
    {
        if (LoadSegments.Count == 0) return true;
        foreach (var load in LoadSegments)
        {
            if (load.IsExecutable && load.Contains(start, end)) return true;
        }
        return false;
    }

    /// <summary>The 8 bytes at virtual address <paramref name="address"/> (for pointers encoded as indirect).</summary>
    public bool TryReadAddress(ulong address, out ulong value)
    {
        value = 0;
        foreach (var load in LoadSegments)
        {
            if (address < load.VirtualAddress || address - load.VirtualAddress > load.FileSize || load.FileSize - (address - load.VirtualAddress) < 8) continue;
            var offset = load.FileOffset + (address - load.VirtualAddress);
            if (!Fits(_file.Span, offset, 8)) return false;
            value = BinaryPrimitives.ReadUInt64LittleEndian(_file.Span[(int)offset..]);
            return true;
        }
        return false;
    }

    private static bool Fits(ReadOnlySpan<byte> bytes, ulong offset, ulong size) =>
        offset <= (ulong)bytes.Length && size <= (ulong)bytes.Length - offset;

    private static string NameAt(ReadOnlySpan<byte> names, uint offset)
    {
        if (offset >= (uint)names.Length) return "";
        var rest = names[(int)offset..];
        var end = rest.IndexOf((byte)0);
        return Encoding.ASCII.GetString(end < 0 ? rest : rest[..end]);
    }

    private static ushort U16(ReadOnlySpan<byte> bytes, int offset) => BinaryPrimitives.ReadUInt16LittleEndian(bytes[offset..]);

    private static uint U32(ReadOnlySpan<byte> bytes, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(bytes[offset..]);

    private static ulong U64(ReadOnlySpan<byte> bytes, int offset) => BinaryPrimitives.ReadUInt64LittleEndian(bytes[offset..]);
}
