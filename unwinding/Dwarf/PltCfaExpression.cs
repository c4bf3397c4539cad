namespace Collector.Unwinding.Dwarf;

/// <summary>
/// The one DW_CFA_def_cfa_expression worth recognising on x86-64: the linker's rule for .plt entries, whose stack
/// is 8 bytes deeper from the 11th byte of each 16-byte entry (after the push of the relocation index):
/// CFA = RSP + 8 + ((RIP &amp; 15) &gt;= 11 ? 8 : 0). GNU ld and lld emit exactly these bytes.
/// </summary>
internal static class PltCfaExpression
{
    /// <summary>DW_OP_breg7 8; DW_OP_breg16 0; DW_OP_lit15; DW_OP_and; DW_OP_lit11; DW_OP_ge; DW_OP_lit3; DW_OP_shl; DW_OP_plus.</summary>
    private static ReadOnlySpan<byte> Pattern => [0x77, 0x08, 0x80, 0x00, 0x3f, 0x1a, 0x3b, 0x2a, 0x33, 0x24, 0x22];

    /// <summary>The base offset from RSP that the pattern adds to (8).</summary>
    public const int RspOffset = 8;

    public static bool Matches(ReadOnlySpan<byte> expression) => expression.SequenceEqual(Pattern);
}
