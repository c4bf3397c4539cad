namespace Collector.Unwinding.Elf;

/// <summary>
/// One section's virtual address and its bytes in the file. A SHT_NOBITS section (as in separate debug files,
/// whose copies of allocated sections keep their headers but not their contents) has empty <see cref="Data"/>.
/// </summary>
internal readonly record struct ElfSection(string Name, ulong Address, ulong Size, ReadOnlyMemory<byte> Data);
