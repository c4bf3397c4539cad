using Collector.Unwinding.Elf;

namespace Collector.Unwinding.Dwarf;

/// <summary>
/// One section of call-frame information to read: its kind, bytes, the bases its pointers are relative to, and the
/// image that holds it (to follow indirect pointers). <see cref="Rank"/> orders sources when FDEs overlap: lower wins.
/// </summary>
internal sealed record CallFrameSection(CallFrameSectionKind Kind, ReadOnlyMemory<byte> Data, PointerBases Bases, ElfImage Image, int Rank);
