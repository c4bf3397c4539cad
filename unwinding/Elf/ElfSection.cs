namespace Collector.Unwinding.Elf;

/// <summary>
/// One section's virtual address and its bytes in the file. A SHT_NOBITS section (as in separate debug files,
/// whose copies of allocated sections keep their headers but not their contents) has empty <see cref="Data"/>.
/// <see cref="Compressed"/> (SHF_COMPRESSED) means <see cref="Data"/> is a compression header and a compressed
/// stream (<see cref="CompressedSection"/>), as in debug sections written by `gcc -gz`, the Go linker and Debian's
/// debug packages.
/// </summary>
internal readonly record struct ElfSection(string Name, ulong Address, ulong Size, ReadOnlyMemory<byte> Data, bool Compressed = false);
