namespace Collector.Unwinding.Dwarf;

/// <summary>
/// One FDE found in a section: the code range it covers, its CIE (an index into the builder's CIE list), where its
/// instructions are in the section, which section that is, and that section's rank (lower wins an overlap).
/// </summary>
internal readonly record struct FrameDescriptionEntry(
    ulong Start,
    ulong End,
    int CieIndex,
    int InstructionsStart,
    int InstructionsEnd,
    int SourceIndex);
