using System.Buffers.Binary;
using System.Text;

namespace Collector.Unwinding.Elf;

/// <summary>
/// The few parts of a little-endian ELF64 x86-64 file that unwind tables need: named sections and PT_LOAD segments,
/// from the whole file in memory or from an open file (<see cref="ElfSource"/>), reading only the sections asked for.
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
    private const ulong SectionFlagCompressed = 0x800;

    private readonly ElfSource _source;
    private readonly List<ElfSection> _sections;

    private ElfImage(ElfSource source, List<ElfSection> sections, List<LoadSegment> loads)
    {
        _source = source;
        _sections = sections;
        LoadSegments = loads;
    }

    public IReadOnlyList<LoadSegment> LoadSegments { get; }

    /// <summary>Reads the tables of <paramref name="file"/>, or returns null when it is not an ELF64 x86-64 file or they do not fit in it.</summary>
    public static ElfImage? TryRead(ReadOnlyMemory<byte> file) => TryRead(new MemoryElfSource(file), _ => true);

    /// <summary>
    /// Reads the tables of <paramref name="source"/>, and the contents of the sections <paramref name="withContents"/>
    /// names (every section of a file in memory, where that costs nothing); other sections keep address and size, like
    /// SHT_NOBITS ones. Null when it is not an ELF64 x86-64 file or its tables do not fit in it.
    /// </summary>
    public static ElfImage? TryRead(ElfSource source, Func<string, bool> withContents)
    {
        if (source.Read(0, HeaderSize) is not { } headerBytes) return null;
        var header = headerBytes.Span;
        if (!header[..4].SequenceEqual("\u007fELF"u8)) return null;
        if (header[4] != 2 || header[5] != 1 || U16(header, 18) != MachineX86_64) return null;
        var sectionTable = U64(header, 0x28);
        var sectionCount = (ulong)U16(header, 0x3c);
        var namesIndex = (ulong)U16(header, 0x3e);
        if (sectionTable != 0)
        {
            if (U16(header, 0x3a) != SectionHeaderSize || source.Read(sectionTable, SectionHeaderSize) is not { } first) return null;
            if (sectionCount == 0) sectionCount = U64(first.Span, 32); // extended numbering
            if (namesIndex == 0xffff) namesIndex = U32(first.Span, 40);
        }
        else
        {
            sectionCount = 0;
        }
        if (sectionCount > source.Length / SectionHeaderSize) return null;
        var sectionHeaders = sectionCount == 0 ? ReadOnlyMemory<byte>.Empty : source.Read(sectionTable, sectionCount * SectionHeaderSize);
        if (sectionHeaders is null) return null;

        var programTable = U64(header, 0x20);
        var programCount = (ulong)U16(header, 0x38);
        if (programTable != 0 && programCount != 0 && U16(header, 0x36) != ProgramHeaderSize) return null;
        if (programTable == 0) programCount = 0;
        var programHeaders = programCount == 0 ? ReadOnlyMemory<byte>.Empty : source.Read(programTable, programCount * ProgramHeaderSize);
        if (programHeaders is null) return null;

        var programs = programHeaders.Value.Span;
        var loads = new List<LoadSegment>();
        for (var i = 0; i < (int)programCount; i++)
        {
            var at = i * ProgramHeaderSize;
            if (U32(programs, at) != SegmentTypeLoad) continue;
            loads.Add(new LoadSegment(U64(programs, at + 16), U64(programs, at + 40), U64(programs, at + 8), U64(programs, at + 32),
                (U32(programs, at + 4) & SegmentFlagExecute) != 0));
        }

        var table = sectionHeaders.Value.Span;
        var names = ReadOnlyMemory<byte>.Empty;
        if (namesIndex < sectionCount)
        {
            var at = (int)namesIndex * SectionHeaderSize;
            if (U32(table, at + 4) != SectionTypeNoBits && source.Read(U64(table, at + 24), U64(table, at + 32)) is { } read) names = read;
        }
        var sections = new List<ElfSection>((int)sectionCount);
        for (var i = 0; i < (int)sectionCount; i++)
        {
            var at = i * SectionHeaderSize;
            var (type, flags, address, offset, size) = (U32(table, at + 4), U64(table, at + 8), U64(table, at + 16), U64(table, at + 24), U64(table, at + 32));
            var name = NameAt(names.Span, U32(table, at));
            var data = ReadOnlyMemory<byte>.Empty;
            if (type != SectionTypeNoBits)
            {
                if (!source.Fits(offset, size)) continue; // a section pointing outside the file is left out, not trusted
                if (withContents(name))
                {
                    if (source.Read(offset, size) is not { } contents) continue; // the file shrank under us
                    data = contents;
                }
            }
            sections.Add(new ElfSection(name, address, size, data, (flags & SectionFlagCompressed) != 0));
        }
        return new ElfImage(source, sections, loads);
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
            if (_source.Read(offset, 8) is not { } bytes) return false;
            value = BinaryPrimitives.ReadUInt64LittleEndian(bytes.Span);
            return true;
        }
        return false;
    }

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
