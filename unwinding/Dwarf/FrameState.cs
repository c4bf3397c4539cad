namespace Collector.Unwinding.Dwarf;

/// <summary>How the CFA is computed in one row of the DWARF table.</summary>
internal enum CfaRuleKind : byte
{
    RegisterOffset,
    /// <summary>The linker's .plt expression (<see cref="PltCfaExpression"/>).</summary>
    PltExpression,
    /// <summary>Any other DWARF expression; recognised as nothing.</summary>
    Expression,
}

/// <summary>How a register of the caller is recovered in one row.</summary>
internal enum RegisterRuleKind : byte
{
    /// <summary>Unchanged from the callee (also the default for a register no instruction mentions).</summary>
    SameValue,
    Undefined,
    /// <summary>Saved in memory at CFA + offset.</summary>
    Offset,
    /// <summary>The value is CFA + offset (not a memory slot).</summary>
    ValueOffset,
    /// <summary>Held in another register.</summary>
    Register,
    Expression,
    ValueExpression,
}

/// <summary>One register's rule: the kind, and an offset or register number where the kind has one.</summary>
internal readonly record struct RegisterRule(RegisterRuleKind Kind, long Operand = 0);

/// <summary>
/// The part of a DWARF row the unwinder needs: the CFA rule, and the rules for RBP and the return address column.
/// Rules for other registers are read and dropped. A CFA expression is classified when it is read, so a row holds
/// no reference and copies cheaply onto the remember_state stack.
/// </summary>
internal struct FrameState
{
    public CfaRuleKind CfaKind;
    public ulong CfaRegister;
    public long CfaOffset;
    public RegisterRule Rbp;
    public RegisterRule ReturnAddress;
}
