namespace Collector.Unwinding.Table;

/// <summary>
/// Why call-frame information was dropped or could not be represented in a row. Each is counted, never thrown:
/// the caller falls back to frame pointers for whatever has no row.
/// </summary>
public enum UnwindIssue
{
    /// <summary>Not a little-endian ELF64 x86-64 file, or its header, section or program header table is cut short.</summary>
    ElfMalformed,
    /// <summary>An entry's length runs past its section; the rest of that section cannot be framed and is dropped.</summary>
    EntryTruncated,
    /// <summary>A field inside an entry reads past the entry's end (the entry alone is dropped).</summary>
    FieldTruncated,
    /// <summary>An FDE's CIE pointer does not lead to a CIE.</summary>
    CiePointerInvalid,
    /// <summary>A CIE version other than 1, 3 or 4, or an address size other than 8.</summary>
    CieVersionUnsupported,
    /// <summary>An augmentation string we cannot skip safely (no 'z' prefix and not empty).</summary>
    AugmentationUnsupported,
    /// <summary>A pointer encoding that is reserved, or relative to a base this file does not have.</summary>
    PointerEncodingUnsupported,
    /// <summary>A call-frame instruction opcode that x86-64 does not use.</summary>
    InstructionUnknown,
    /// <summary>remember_state nested too deep, restore_state without remember_state, or a location moving backwards.</summary>
    InstructionMalformed,
    /// <summary>An FDE whose range lies outside every executable PT_LOAD segment, or beyond 4 GiB.</summary>
    FdeOutsideExecutableCode,
    /// <summary>An FDE that starts inside the range of an FDE kept before it (from the same or a preferred source).</summary>
    FdeOverlaps,
    /// <summary>A row whose CFA is a register other than RSP or RBP.</summary>
    CfaRegisterUnsupported,
    /// <summary>A row whose CFA is a DWARF expression other than the PLT pattern.</summary>
    CfaExpressionUnsupported,
    /// <summary>A row whose CFA offset does not fit the row's signed 32 bits.</summary>
    CfaOffsetOutOfRange,
    /// <summary>A row where RBP is restored by a rule other than "unchanged" or "saved at CFA+n" (n within 16 bits).</summary>
    RbpRuleUnsupported,
    /// <summary>A row whose return address is neither at CFA−8 nor undefined (outermost frame).</summary>
    ReturnAddressRuleUnsupported,
    /// <summary>A compressed section (SHF_COMPRESSED) in a format we cannot expand (zstd); the section is skipped.</summary>
    SectionCompressionUnsupported,
    /// <summary>A compressed section whose header, size or stream is broken; the section is skipped.</summary>
    SectionCompressionInvalid,
}
