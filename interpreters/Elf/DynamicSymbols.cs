using System.Buffers.Binary;
using System.Text;

namespace Collector.Interpreters.Elf;

/// <summary>A defined symbol of an ELF file: its address as the file gives it (before the load bias) and its size.</summary>
public readonly record struct DynamicSymbol(ulong Value, ulong Size);

/// <summary>A PT_LOAD segment: file range and the address range it is loaded at (before the load bias).</summary>
public readonly record struct LoadSegment(ulong FileOffset, ulong FileSize, ulong VirtualAddress, ulong MemorySize);

/// <summary>
/// The few named symbols an interpreter needs from an ELF64 x86-64 file's <c>.dynsym</c> (present even in stripped
/// files, since the dynamic linker needs it), plus the PT_LOAD segments to place them in a process. Reads only the
/// headers and the two tables through positioned reads, not the whole file (libpython is tens of MB).
/// A separate small reader because the full one lives in processors/Elf, a component this shared project may not reference.
/// Every offset and count is checked against the file's length; a malformed file gives no symbols, never an exception.
/// </summary>
public sealed class DynamicSymbols
{
    private const int HeaderSize = 64, SectionHeaderSize = 64, ProgramHeaderSize = 56, SymbolSize = 24;
    private const ushort MachineX86_64 = 62;
    private const uint SectionTypeDynSym = 11, SegmentTypeLoad = 1;
    private const int MaxTableBytes = 64 << 20;

    private readonly Dictionary<string, DynamicSymbol> _symbols;

    private DynamicSymbols(Dictionary<string, DynamicSymbol> symbols, IReadOnlyList<LoadSegment> segments)
    {
        _symbols = symbols;
        LoadSegments = segments;
    }

    public IReadOnlyList<LoadSegment> LoadSegments { get; }

    /// <summary>The defined symbol called <paramref name="name"/> (undefined imports are not listed).</summary>
    public bool TryGet(string name, out DynamicSymbol symbol) => _symbols.TryGetValue(name, out symbol);

    /// <summary>Reads the symbols named in <paramref name="wanted"/> from the file at <paramref name="path"/>; null when it is no readable ELF64 x86-64 file.</summary>
    public static DynamicSymbols? TryRead(string path, IReadOnlySet<string> wanted)
    {
        try
        {
            using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read);
            return TryRead(file, RandomAccess.GetLength(file), wanted);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static DynamicSymbols? TryRead(Microsoft.Win32.SafeHandles.SafeFileHandle file, long length, IReadOnlySet<string> wanted)
    {
        var header = Read(file, length, 0, HeaderSize);
        if (header is null || !header.AsSpan(0, 4).SequenceEqual("\u007fELF"u8) || header[4] != 2 || header[5] != 1 || U16(header, 18) != MachineX86_64) return null;

        var segments = new List<LoadSegment>();
        var programTable = U64(header, 0x20);
        var programCount = U16(header, 0x38);
        if (programCount > 0 && U16(header, 0x36) != ProgramHeaderSize) return null;
        var programs = Read(file, length, programTable, (ulong)programCount * ProgramHeaderSize);
        if (programs is null) return null;
        for (var i = 0; i < programCount; i++)
        {
            var at = i * ProgramHeaderSize;
            if (U32(programs, at) == SegmentTypeLoad) segments.Add(new LoadSegment(U64(programs, at + 8), U64(programs, at + 32), U64(programs, at + 16), U64(programs, at + 40)));
        }

        var sectionTable = U64(header, 0x28);
        var sectionCount = U16(header, 0x3c);
        if (sectionCount == 0 || U16(header, 0x3a) != SectionHeaderSize) return null;
        var sections = Read(file, length, sectionTable, (ulong)sectionCount * SectionHeaderSize);
        if (sections is null) return null;
        var symbols = new Dictionary<string, DynamicSymbol>(StringComparer.Ordinal);
        for (var i = 0; i < sectionCount; i++)
        {
            var at = i * SectionHeaderSize;
            if (U32(sections, at + 4) != SectionTypeDynSym) continue;
            var link = U32(sections, at + 40);
            if (link >= sectionCount) return null;
            var table = Read(file, length, U64(sections, at + 24), U64(sections, at + 32));
            var stringsAt = (int)link * SectionHeaderSize;
            var strings = Read(file, length, U64(sections, stringsAt + 24), U64(sections, stringsAt + 32));
            if (table is null || strings is null) return null;
            Collect(table, strings, wanted, symbols);
        }
        return new DynamicSymbols(symbols, segments);
    }

    private static void Collect(byte[] table, byte[] strings, IReadOnlySet<string> wanted, Dictionary<string, DynamicSymbol> symbols)
    {
        for (var at = 0; at + SymbolSize <= table.Length; at += SymbolSize)
        {
            var nameAt = U32(table, at);
            var sectionIndex = U16(table, at + 6);
            if (sectionIndex == 0 || nameAt >= strings.Length) continue; // undefined: an import, not this file's
            var name = strings.AsSpan((int)nameAt);
            var end = name.IndexOf((byte)0);
            if (end < 0) continue;
            var text = Encoding.ASCII.GetString(name[..end]);
            if (wanted.Contains(text)) symbols.TryAdd(text, new DynamicSymbol(U64(table, at + 8), U64(table, at + 16)));
        }
    }

    private static byte[]? Read(Microsoft.Win32.SafeHandles.SafeFileHandle file, long length, ulong offset, ulong size)
    {
        if (size > MaxTableBytes || offset > (ulong)length || size > (ulong)length - offset) return null;
        var buffer = new byte[size];
        return RandomAccess.Read(file, buffer, (long)offset) == buffer.Length ? buffer : null;
    }

    private static ushort U16(byte[] bytes, int at) => BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(at));

    private static uint U32(byte[] bytes, int at) => BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at));

    private static ulong U64(byte[] bytes, int at) => BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(at));
}
