using System.Buffers.Binary;
using System.Text;

namespace Collector.Processors.Tests.Elf.Support;

/// <summary>
/// Writes small ELF images (either class, either byte order) with exactly the symbols, build id and debug link a
/// test asks for, to reach the corners compilers do not produce. Layout: header, PT_LOAD (the whole file at
/// <see cref="BaseAddress"/>) and PT_NOTE, then .text, the build-id note, .symtab, .strtab, .shstrtab,
/// .gnu_debuglink and the section headers. Section indexes: 1 .text, 2 note, 3 .symtab, 4 .strtab, 5 .shstrtab, 6 debuglink.
/// </summary>
public sealed class ElfImageBuilder(bool is64Bit, bool littleEndian)
{
    public const ulong BaseAddress = 0x400000;
    public const int TextSection = 1;
    public const int SymtabSection = 3;
    public const int StrtabSection = 4;

    private readonly List<(string Name, ulong Value, ulong Size, byte Info, ushort Section)> _symbols = [];
    private byte[] _buildId = [];
    private (string Name, uint Crc)? _debugLink;
    private bool _unterminatedStrings;

    public int TextSize { get; set; } = 0x1000;

    public ushort Machine { get; set; } = 62;

    /// <summary>Set after <see cref="Build"/>: where .text starts in the file (its address is BaseAddress + this).</summary>
    public int TextOffset { get; private set; }

    /// <summary>Set after <see cref="Build"/>: where the section header table starts.</summary>
    public int SectionHeaderOffset { get; private set; }

    public int SectionHeaderSize => is64Bit ? 64 : 40;

    public ulong TextAddress => BaseAddress + (ulong)TextOffset;

    public ElfImageBuilder Function(string name, int textOffset, ulong size, byte bind = 1, byte type = 2) =>
        Symbol(name, (ulong)textOffset, size, bind, type, TextSection, relativeToText: true);

    /// <summary>Any symbol; a value relative to .text is resolved when the layout is known.</summary>
    public ElfImageBuilder Symbol(string name, ulong value, ulong size, byte bind, byte type, ushort section, bool relativeToText = false)
    {
        _symbols.Add((name, relativeToText ? value | RelativeFlag : value, size, (byte)((bind << 4) | type), section));
        return this;
    }

    public ElfImageBuilder BuildId(byte[] id)
    {
        _buildId = id;
        return this;
    }

    public ElfImageBuilder DebugLink(string name, uint crc)
    {
        _debugLink = (name, crc);
        return this;
    }

    /// <summary>Drops the final NUL of .strtab, so the last symbol's name runs off its table.</summary>
    public ElfImageBuilder UnterminatedStrings()
    {
        _unterminatedStrings = true;
        return this;
    }

    public byte[] Build()
    {
        var headerSize = is64Bit ? 64 : 52;
        var programHeaderSize = is64Bit ? 56 : 32;
        var symbolSize = is64Bit ? 24 : 16;
        var image = new List<byte>(new byte[headerSize + (2 * programHeaderSize)]);

        TextOffset = Align(image, 16);
        image.AddRange(Enumerable.Repeat((byte)0xcc, TextSize));

        var noteOffset = Align(image, 4);
        var note = new byte[12 + 4 + ((_buildId.Length + 3) & ~3)];
        U32(note, 0, 4);
        U32(note, 4, (uint)_buildId.Length);
        U32(note, 8, 3);
        "GNU\0"u8.CopyTo(note.AsSpan(12));
        _buildId.CopyTo(note, 16);
        if (_buildId.Length > 0) image.AddRange(note);
        var noteSize = _buildId.Length > 0 ? note.Length : 0;

        var strings = new List<byte> { 0 };
        var symtabOffset = Align(image, 8);
        image.AddRange(new byte[symbolSize]);
        foreach (var (name, value, size, info, section) in _symbols)
        {
            var nameOffset = (uint)strings.Count;
            strings.AddRange(Encoding.UTF8.GetBytes(name));
            strings.Add(0);
            var address = (value & RelativeFlag) != 0 ? TextAddress + (value & ~RelativeFlag) : value;
            var entry = new byte[symbolSize];
            U32(entry, 0, nameOffset);
            if (is64Bit)
            {
                entry[4] = info;
                U16(entry, 6, section);
                U64(entry, 8, address);
                U64(entry, 16, size);
            }
            else
            {
                U32(entry, 4, (uint)address);
                U32(entry, 8, (uint)size);
                entry[12] = info;
                U16(entry, 14, section);
            }
            image.AddRange(entry);
        }
        var symtabSize = image.Count - symtabOffset;
        if (_unterminatedStrings) strings.RemoveAt(strings.Count - 1);
        var strtabOffset = image.Count;
        image.AddRange(strings);

        var sectionNames = new List<byte> { 0 };
        int Name(string name)
        {
            var at = sectionNames.Count;
            sectionNames.AddRange(Encoding.ASCII.GetBytes(name));
            sectionNames.Add(0);
            return at;
        }
        var names = new[] { Name(".text"), Name(".note.gnu.build-id"), Name(".symtab"), Name(".strtab"), Name(".shstrtab"), Name(".gnu_debuglink") };
        var shstrtabOffset = image.Count;
        image.AddRange(sectionNames);

        var debugLinkOffset = Align(image, 4);
        if (_debugLink is { } link)
        {
            var linkBytes = new byte[((Encoding.UTF8.GetByteCount(link.Name) + 1 + 3) & ~3) + 4];
            Encoding.UTF8.GetBytes(link.Name).CopyTo(linkBytes, 0);
            U32(linkBytes, linkBytes.Length - 4, link.Crc);
            image.AddRange(linkBytes);
        }
        var debugLinkSize = image.Count - debugLinkOffset;

        SectionHeaderOffset = Align(image, 8);
        var sections = new List<(int Name, uint Type, ulong Flags, int Offset, int Size, uint Link, ulong EntrySize, ulong Align)>
        {
            (0, 0, 0, 0, 0, 0, 0, 0),
            (names[0], 1, 0x6, TextOffset, TextSize, 0, 0, 16),
            (names[1], 7, 0x2, noteOffset, noteSize, 0, 0, 4),
            (names[2], 2, 0, symtabOffset, symtabSize, StrtabSection, (ulong)symbolSize, 8),
            (names[3], 3, 0, strtabOffset, strings.Count, 0, 0, 1),
            (names[4], 3, 0, shstrtabOffset, sectionNames.Count, 0, 0, 1),
        };
        if (_debugLink is not null) sections.Add((names[5], 1, 0, debugLinkOffset, debugLinkSize, 0, 0, 4));
        foreach (var section in sections)
        {
            var header = new byte[SectionHeaderSize];
            var allocated = (section.Flags & 0x2) != 0;
            var address = allocated ? BaseAddress + (ulong)section.Offset : 0;
            U32(header, 0, (uint)section.Name);
            U32(header, 4, section.Type);
            if (is64Bit)
            {
                U64(header, 8, section.Flags);
                U64(header, 16, address);
                U64(header, 24, (ulong)section.Offset);
                U64(header, 32, (ulong)section.Size);
                U32(header, 40, section.Link);
                U32(header, 44, section.Type == 2 ? 1u : 0u);
                U64(header, 48, section.Align);
                U64(header, 56, section.EntrySize);
            }
            else
            {
                U32(header, 8, (uint)section.Flags);
                U32(header, 12, (uint)address);
                U32(header, 16, (uint)section.Offset);
                U32(header, 20, (uint)section.Size);
                U32(header, 24, section.Link);
                U32(header, 28, section.Type == 2 ? 1u : 0u);
                U32(header, 32, (uint)section.Align);
                U32(header, 36, (uint)section.EntrySize);
            }
            image.AddRange(header);
        }

        var bytes = image.ToArray();
        WriteHeader(bytes, headerSize, programHeaderSize, sections.Count, noteOffset, noteSize);
        return bytes;
    }

    private void WriteHeader(byte[] bytes, int headerSize, int programHeaderSize, int sectionCount, int noteOffset, int noteSize)
    {
        "\x7f"u8.CopyTo(bytes);
        "ELF"u8.CopyTo(bytes.AsSpan(1));
        bytes[4] = is64Bit ? (byte)2 : (byte)1;
        bytes[5] = littleEndian ? (byte)1 : (byte)2;
        bytes[6] = 1;
        U16(bytes, 16, 3);
        U16(bytes, 18, Machine);
        U32(bytes, 20, 1);
        var word = is64Bit ? 8 : 4;
        Word(bytes, 24 + word, (ulong)headerSize);
        Word(bytes, 24 + (2 * word), (ulong)SectionHeaderOffset);
        var sizes = 24 + (3 * word) + 4;
        U16(bytes, sizes, (ushort)headerSize);
        U16(bytes, sizes + 2, (ushort)programHeaderSize);
        U16(bytes, sizes + 4, 2);
        U16(bytes, sizes + 6, (ushort)SectionHeaderSize);
        U16(bytes, sizes + 8, (ushort)sectionCount);
        U16(bytes, sizes + 10, 5);
        WriteProgramHeader(bytes, headerSize, 1, 5, 0, (ulong)bytes.Length, 0x1000);
        WriteProgramHeader(bytes, headerSize + programHeaderSize, 4, 4, (ulong)noteOffset, (ulong)noteSize, 4);
    }

    private void WriteProgramHeader(byte[] bytes, int at, uint type, uint flags, ulong offset, ulong size, ulong align)
    {
        U32(bytes, at, type);
        if (is64Bit)
        {
            U32(bytes, at + 4, flags);
            U64(bytes, at + 8, offset);
            U64(bytes, at + 16, BaseAddress + offset);
            U64(bytes, at + 24, BaseAddress + offset);
            U64(bytes, at + 32, size);
            U64(bytes, at + 40, size);
            U64(bytes, at + 48, align);
        }
        else
        {
            U32(bytes, at + 4, (uint)offset);
            U32(bytes, at + 8, (uint)(BaseAddress + offset));
            U32(bytes, at + 12, (uint)(BaseAddress + offset));
            U32(bytes, at + 16, (uint)size);
            U32(bytes, at + 20, (uint)size);
            U32(bytes, at + 24, flags);
            U32(bytes, at + 28, (uint)align);
        }
    }

    private const ulong RelativeFlag = 1ul << 63;

    private static int Align(List<byte> image, int alignment)
    {
        while (image.Count % alignment != 0) image.Add(0);
        return image.Count;
    }

    private void Word(byte[] bytes, int at, ulong value)
    {
        if (is64Bit) U64(bytes, at, value);
        else U32(bytes, at, (uint)value);
    }

    private void U16(byte[] bytes, int at, ushort value)
    {
        if (littleEndian) BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(at), value);
        else BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(at), value);
    }

    private void U32(byte[] bytes, int at, uint value)
    {
        if (littleEndian) BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at), value);
        else BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(at), value);
    }

    private void U64(byte[] bytes, int at, ulong value)
    {
        if (littleEndian) BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(at), value);
        else BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(at), value);
    }
}
