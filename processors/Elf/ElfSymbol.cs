namespace Collector.Processors.Elf;

/// <summary>
/// A function symbol as found by <see cref="SymbolTable.TryFind"/>: its raw (possibly mangled) name, its start
/// address and its size as the symbol table says (0 for symbols that declare none; they still cover up to the
/// next symbol).
/// </summary>
public readonly record struct ElfSymbol(string Name, ulong Start, ulong Size);
