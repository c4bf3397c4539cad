using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Collector.Processors.Elf;

/// <summary>
/// One ELF file (ELF32 or ELF64, either byte order), memory-mapped and read in place: its headers, load segments,
/// GNU build id, <c>.gnu_debuglink</c> and function symbols. Content is untrusted: anything malformed in the
/// header is an <see cref="ElfFormatException"/>; a malformed part further in (a section table, a note, a symbol)
/// is skipped and described in <see cref="Problems"/> (or, for single symbols, counted in
/// <see cref="SymbolTable.IgnoredCount"/>). Immutable once opened, so safe to read from several threads, but not
/// concurrently with <see cref="Dispose"/>; what it returns (build id, <see cref="SymbolTable"/>) stays valid after it.
/// </summary>
public sealed class ElfFile : IDisposable
{
    private readonly ReadOnlyMemory<byte> _image;
    private readonly MappedImage? _mapping;
    private readonly ElfHeader _header;
    private readonly ElfSection[] _sections;
    private readonly ElfSegment[] _segments;
    private readonly ElfSegment[] _loadSegments;
    private readonly byte[] _buildId;
    private readonly (ElfSection Table, ElfSection Strings, ulong EntrySize)[] _symbolTables;
    private readonly List<string> _problems = [];
    private bool _disposed;

    private ElfFile(ReadOnlyMemory<byte> image, MappedImage? mapping, string displayName)
    {
        _image = image;
        _mapping = mapping;
        DisplayName = displayName;
        var span = image.Span;
        _header = ElfHeader.Parse(span);
        var reader = Reader(span);
        var first = ReadFirstSection(reader);
        _segments = ReadSegments(reader, first);
        _loadSegments = Array.FindAll(_segments, segment => segment.Type == ElfConstants.PtLoad);
        _sections = ReadSections(reader, first);
        _buildId = ReadBuildId(reader);
        ReadDebugLink(reader);
        _symbolTables = FindSymbolTables(reader);
    }

    /// <summary>
    /// Maps the file behind <paramref name="file"/> (the caller keeps owning the handle and may close it at once).
    /// Throws <see cref="ElfFormatException"/> for content that is not ELF, <see cref="IOException"/> when it cannot be mapped.
    /// </summary>
    public static ElfFile Open(SafeFileHandle file, string displayName)
    {
        ArgumentNullException.ThrowIfNull(file);
        var mapping = MappedImage.Map(file, displayName);
        try
        {
            return new ElfFile(mapping.Memory, mapping, displayName);
        }
        catch
        {
            ((IDisposable)mapping).Dispose();
            throw;
        }
    }

    public static ElfFile Open(string path)
    {
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        return Open(file, path);
    }

    /// <summary>Reads an image already in memory (tests, fuzzing); the memory must stay unchanged while the file is used.</summary>
    public static ElfFile FromBytes(ReadOnlyMemory<byte> image, string displayName) => new(image, null, displayName);

    public string DisplayName { get; }

    public bool Is64Bit => _header.Is64Bit;

    public bool IsLittleEndian => _header.LittleEndian;

    /// <summary>e_type: 1 relocatable, 2 executable, 3 shared object (or PIE), 4 core.</summary>
    public ushort ObjectType => _header.Type;

    /// <summary>e_machine (62 x86-64, 183 AArch64, 3 i386, 40 ARM, ...).</summary>
    public ushort Machine => _header.Machine;

    /// <summary>The GNU build id note's descriptor; empty when the file has none.</summary>
    public ReadOnlySpan<byte> GnuBuildId => _buildId;

    /// <summary>The build id in lower-case hex, or null when the file has none.</summary>
    public string? GnuBuildIdHex => _buildId.Length == 0 ? null : Convert.ToHexStringLower(_buildId);

    /// <summary>The file name <c>.gnu_debuglink</c> names, or null when there is none.</summary>
    public string? DebugLinkName { get; private set; }

    /// <summary>The CRC-32 of the debug file that <c>.gnu_debuglink</c> records (0 when there is no link).</summary>
    public uint DebugLinkCrc { get; private set; }

    /// <summary>The PT_LOAD segments, in file order.</summary>
    public IReadOnlyList<ElfSegment> LoadSegments => _loadSegments;

    /// <summary>True when the file has a <c>.symtab</c> section (it was not stripped, or it is a debug file).</summary>
    public bool HasSymtab => Array.Exists(_symbolTables, table => table.Table.Type == ElfConstants.ShtSymtab);

    /// <summary>What was malformed and skipped while reading; empty for a sound file.</summary>
    public IReadOnlyList<string> Problems => _problems;

    /// <summary>Translates an offset in the file to the virtual address the file's symbols use, through the PT_LOAD segment holding it.</summary>
    public bool TryFileOffsetToVirtualAddress(ulong fileOffset, out ulong virtualAddress)
    {
        foreach (var segment in _loadSegments)
        {
            if (!segment.ContainsFileOffset(fileOffset)) continue;
            var distance = fileOffset - segment.FileOffset;
            if (segment.VirtualAddress > ulong.MaxValue - distance) continue;
            virtualAddress = segment.VirtualAddress + distance;
            return true;
        }
        virtualAddress = 0;
        return false;
    }

    /// <summary>The inverse of <see cref="TryFileOffsetToVirtualAddress"/> (false for addresses backed by no file bytes, e.g. .bss).</summary>
    public bool TryVirtualAddressToFileOffset(ulong virtualAddress, out ulong fileOffset)
    {
        foreach (var segment in _loadSegments)
        {
            if (!segment.ContainsVirtualAddress(virtualAddress)) continue;
            var distance = virtualAddress - segment.VirtualAddress;
            if (segment.FileOffset > ulong.MaxValue - distance) continue;
            fileOffset = segment.FileOffset + distance;
            return true;
        }
        fileOffset = 0;
        return false;
    }

    /// <summary>
    /// The function symbols (STT_FUNC and STT_GNU_IFUNC) of <c>.symtab</c> and <c>.dynsym</c> together, without
    /// undefined or zero-address ones. Each call reads the tables afresh; callers cache the result.
    /// </summary>
    public SymbolTable ReadSymbols()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var reader = Reader(_image.Span);
        using var builder = new SymbolTableBuilder();
        foreach (var (table, strings, entrySize) in _symbolTables) AddFunctionSymbols(reader, table, strings, entrySize, builder);
        return builder.Build();
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        ((IDisposable?)_mapping)?.Dispose();
    }

    private ElfReader Reader(ReadOnlySpan<byte> image) => new(image, _header.Is64Bit, _header.LittleEndian);

    /// <summary>Section 0, which holds the real counts when they do not fit the header's 16-bit fields.</summary>
    private ElfSection? ReadFirstSection(ElfReader reader)
    {
        if (_header.SectionHeaderOffset == 0) return null;
        if (_header.SectionHeaderEntrySize < SectionHeaderSize || !reader.Contains(_header.SectionHeaderOffset, _header.SectionHeaderEntrySize))
        {
            Problem($"section header table at {_header.SectionHeaderOffset} (entries of {_header.SectionHeaderEntrySize} bytes) is not in the file");
            return null;
        }
        return ElfSection.Read(reader, _header.SectionHeaderOffset);
    }

    private ElfSegment[] ReadSegments(ElfReader reader, ElfSection? first)
    {
        ulong count = _header.ProgramHeaderCount == ElfConstants.PnXNum && first is { } zero ? zero.Info : _header.ProgramHeaderCount;
        if (count == 0) return [];
        var minimum = (ulong)(_header.Is64Bit ? ElfConstants.Elf64ProgramHeaderSize : ElfConstants.Elf32ProgramHeaderSize);
        if (!TryTable(reader, "program header", _header.ProgramHeaderOffset, _header.ProgramHeaderEntrySize, minimum, count)) return [];
        var segments = new ElfSegment[count];
        for (ulong i = 0; i < count; i++) segments[i] = ElfSegment.Read(reader, _header.ProgramHeaderOffset + (i * _header.ProgramHeaderEntrySize));
        return segments;
    }

    private ElfSection[] ReadSections(ElfReader reader, ElfSection? first)
    {
        if (first is not { } zero) return [];
        ulong count = _header.SectionHeaderCount == 0 ? zero.Size : _header.SectionHeaderCount;
        if (!TryTable(reader, "section header", _header.SectionHeaderOffset, _header.SectionHeaderEntrySize, SectionHeaderSize, count)) return [];
        var sections = new ElfSection[count];
        for (ulong i = 0; i < count; i++) sections[i] = ElfSection.Read(reader, _header.SectionHeaderOffset + (i * _header.SectionHeaderEntrySize));
        return sections;
    }

    /// <summary>Checks that a table of <paramref name="count"/> entries fits in the file, with checked arithmetic.</summary>
    private bool TryTable(ElfReader reader, string what, ulong offset, ulong entrySize, ulong minimumEntrySize, ulong count)
    {
        if (entrySize < minimumEntrySize)
        {
            Problem($"{what} entries of {entrySize} bytes are smaller than {minimumEntrySize}");
            return false;
        }
        if (count > (ulong)reader.Image.Length / entrySize || !reader.Contains(offset, count * entrySize))
        {
            Problem($"{what} table of {count} entries at {offset} is not in the file");
            return false;
        }
        return true;
    }

    private byte[] ReadBuildId(ElfReader reader)
    {
        foreach (var segment in _segments)
        {
            if (segment.Type == ElfConstants.PtNote && ElfNotes.TryFindGnuBuildId(reader, segment.FileOffset, segment.FileSize, segment.Alignment, out var at, out var length))
            {
                return reader.Slice(at, (ulong)length).ToArray();
            }
        }
        foreach (var section in _sections)
        {
            if (section.Type == ElfConstants.ShtNote && ElfNotes.TryFindGnuBuildId(reader, section.Offset, section.Size, section.Alignment, out var at, out var length))
            {
                return reader.Slice(at, (ulong)length).ToArray();
            }
        }
        return [];
    }

    private void ReadDebugLink(ElfReader reader)
    {
        foreach (var section in _sections)
        {
            if (section.Type == ElfConstants.ShtNobits || !SectionName(reader, section).SequenceEqual(".gnu_debuglink"u8)) continue;
            if (!reader.Contains(section.Offset, section.Size))
            {
                Problem($".gnu_debuglink at {section.Offset} ({section.Size} bytes) is not in the file");
                return;
            }
            // The file name, NUL, padding to 4 bytes, then the CRC-32 in the file's byte order.
            var content = reader.Slice(section.Offset, section.Size);
            var nameLength = content.IndexOf((byte)0);
            var crcOffset = ((ulong)nameLength + 4) & ~3ul;
            if (nameLength <= 0 || crcOffset + 4 > section.Size)
            {
                Problem(".gnu_debuglink holds no terminated name followed by a CRC");
                return;
            }
            DebugLinkName = Encoding.UTF8.GetString(content[..nameLength]);
            DebugLinkCrc = reader.U32(section.Offset + crcOffset);
            return;
        }
    }

    /// <summary>The .symtab and .dynsym sections whose entries and string table lie in the file; the others are noted and skipped.</summary>
    private (ElfSection Table, ElfSection Strings, ulong EntrySize)[] FindSymbolTables(ElfReader reader)
    {
        var tables = new List<(ElfSection, ElfSection, ulong)>();
        var minimum = (ulong)(_header.Is64Bit ? ElfConstants.Elf64SymbolSize : ElfConstants.Elf32SymbolSize);
        foreach (var table in _sections)
        {
            if (table.Type is not (ElfConstants.ShtSymtab or ElfConstants.ShtDynsym) || table.Size == 0) continue;
            var kind = table.Type == ElfConstants.ShtSymtab ? ".symtab" : ".dynsym";
            var entrySize = table.EntrySize == 0 ? minimum : table.EntrySize;
            if (entrySize < minimum || !reader.Contains(table.Offset, table.Size))
            {
                Problem($"{kind} at {table.Offset} ({table.Size} bytes, entries of {table.EntrySize}) is not readable");
                continue;
            }
            if (table.Link >= (ulong)_sections.Length || !reader.Contains(_sections[table.Link].Offset, _sections[table.Link].Size))
            {
                Problem($"{kind} names its string table as section {table.Link}, which is not in the file");
                continue;
            }
            tables.Add((table, _sections[table.Link], entrySize));
        }
        return [.. tables];
    }

    private void AddFunctionSymbols(ElfReader reader, ElfSection table, ElfSection stringTable, ulong entrySize, SymbolTableBuilder builder)
    {
        var strings = reader.Slice(stringTable.Offset, stringTable.Size);
        var thumb = _header.Machine == ElfConstants.MachineArm;
        var count = table.Size / entrySize;
        for (ulong i = 0; i < count; i++)
        {
            var (nameOffset, info, sectionIndex, value, size) = ReadSymbol(reader, table.Offset + (i * entrySize));
            var type = (byte)(info & 0xf);
            if (type is not (ElfConstants.SttFunc or ElfConstants.SttGnuIfunc) || sectionIndex == ElfConstants.ShnUndef) continue;
            if (thumb) value &= ~1ul; // ARM marks Thumb functions with the low bit; the code starts at the even address
            if (value == 0) continue;
            var nameLength = nameOffset < (ulong)strings.Length ? strings[(int)nameOffset..].IndexOf((byte)0) : -1;
            if (nameLength < 0)
            {
                builder.IgnoredCount++; // the name is not a NUL-terminated string of the string table
                continue;
            }
            if (nameLength == 0) continue;
            builder.Add(value, size, SectionEnd(sectionIndex, value), (byte)(info >> 4), strings.Slice((int)nameOffset, nameLength));
        }
    }

    private static (uint NameOffset, byte Info, ushort SectionIndex, ulong Value, ulong Size) ReadSymbol(ElfReader reader, ulong at) => reader.Is64Bit
        ? (reader.U32(at), reader.U8(at + 4), reader.U16(at + 6), reader.U64(at + 8), reader.U64(at + 16))
        : (reader.U32(at), reader.U8(at + 12), reader.U16(at + 14), reader.U32(at + 4), reader.U32(at + 8));

    /// <summary>The end address of the allocated section holding <paramref name="address"/>, when the symbol names one that does.</summary>
    private ulong? SectionEnd(ushort sectionIndex, ulong address)
    {
        if (sectionIndex >= ElfConstants.ShnLoReserve || sectionIndex >= _sections.Length) return null;
        var section = _sections[sectionIndex];
        return section.IsAllocated && address >= section.Address && section.AddressEnd is { } end && address < end ? end : null;
    }

    private ReadOnlySpan<byte> SectionName(ElfReader reader, in ElfSection section)
    {
        var index = _header.SectionNameTableIndex == ElfConstants.ShnXIndex && _sections.Length > 0 ? _sections[0].Link : _header.SectionNameTableIndex;
        if (index == 0 || index >= (ulong)_sections.Length) return [];
        var names = _sections[index];
        if (!reader.Contains(names.Offset, names.Size) || section.NameOffset >= names.Size) return [];
        var tail = reader.Slice(names.Offset + section.NameOffset, names.Size - section.NameOffset);
        var length = tail.IndexOf((byte)0);
        return length < 0 ? [] : tail[..length];
    }

    private ushort SectionHeaderSize => (ushort)(_header.Is64Bit ? ElfConstants.Elf64SectionHeaderSize : ElfConstants.Elf32SectionHeaderSize);

    private void Problem(string what) => _problems.Add($"{DisplayName}: {what}");
}
