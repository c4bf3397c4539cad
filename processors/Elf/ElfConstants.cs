namespace Collector.Processors.Elf;

/// <summary>The numbers of the ELF format (System V gABI and the GNU extensions) that the reader needs.</summary>
internal static class ElfConstants
{
    public const byte ClassElf32 = 1;
    public const byte ClassElf64 = 2;
    public const byte DataLittleEndian = 1;
    public const byte DataBigEndian = 2;

    public const int IdentSize = 16;
    public const int Elf32HeaderSize = 52;
    public const int Elf64HeaderSize = 64;
    public const int Elf32SectionHeaderSize = 40;
    public const int Elf64SectionHeaderSize = 64;
    public const int Elf32ProgramHeaderSize = 32;
    public const int Elf64ProgramHeaderSize = 56;
    public const int Elf32SymbolSize = 16;
    public const int Elf64SymbolSize = 24;

    public const ushort MachineArm = 40;

    public const uint PtLoad = 1;
    public const uint PtNote = 4;

    public const uint ShtSymtab = 2;
    public const uint ShtNote = 7;
    public const uint ShtNobits = 8;
    public const uint ShtDynsym = 11;
    public const ulong ShfAlloc = 0x2;

    public const ushort ShnUndef = 0;
    public const ushort ShnLoReserve = 0xff00;
    public const ushort ShnXIndex = 0xffff;
    public const ushort PnXNum = 0xffff;

    public const byte SttFunc = 2;
    public const byte SttGnuIfunc = 10;

    public const byte StbLocal = 0;
    public const byte StbGlobal = 1;
    public const byte StbWeak = 2;
    public const byte StbGnuUnique = 10;

    public const uint NtGnuBuildId = 3;
}
