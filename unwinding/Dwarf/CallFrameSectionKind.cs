namespace Collector.Unwinding.Dwarf;

/// <summary>
/// The two homes of call-frame information. They differ in the CIE id (0 vs all ones), in how an FDE points at its
/// CIE (backwards from the field vs a section offset), in address encoding (DW_EH_PE vs plain 8-byte addresses)
/// and in what a zero length means (terminator in .eh_frame).
/// </summary>
internal enum CallFrameSectionKind
{
    EhFrame,
    DebugFrame,
}
