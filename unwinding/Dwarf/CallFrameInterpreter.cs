using Collector.Unwinding.Table;

namespace Collector.Unwinding.Dwarf;

/// <summary>
/// Executes DWARF call-frame instructions (DWARF 5 §6.4.2 plus the GNU extensions GCC emits) and reports the
/// resulting rows. One instance is reused for every entry of a file, so the remember_state stack is allocated once.
/// Every opcode consumes at least one byte, so the work is bounded by the instruction bytes.
/// </summary>
internal sealed class CallFrameInterpreter
{
    // GCC nests remember_state once or twice; a deeper stack is corrupt input, not code.
    private const int MaxRememberDepth = 32;

    private readonly FrameState[] _remembered = new FrameState[MaxRememberDepth];

    /// <summary>The state a CIE's initial instructions set up (advances in them are ignored).</summary>
    public FrameState RunInitialInstructions(ReadOnlySpan<byte> section, int start, int end, in InstructionContext context)
    {
        var state = context.InitialState;
        var location = 0UL;
        Execute(new SpanReader(section[..end], start), ref state, ref location, fdeEnd: 0, context, sink: null);
        return state;
    }

    /// <summary>Reports the rows of the FDE covering [<paramref name="fdeStart"/>, <paramref name="fdeEnd"/>) to <paramref name="sink"/>.</summary>
    public void RunFde(ReadOnlySpan<byte> section, int start, int end, ulong fdeStart, ulong fdeEnd, in InstructionContext context, IFrameRowSink sink)
    {
        var state = context.InitialState;
        var location = fdeStart;
        Execute(new SpanReader(section[..end], start), ref state, ref location, fdeEnd, context, sink);
        if (location < fdeEnd) sink.Row(location, state);
    }

    private void Execute(SpanReader reader, ref FrameState state, ref ulong location, ulong fdeEnd, in InstructionContext context, IFrameRowSink? sink)
    {
        var depth = 0;
        while (!reader.AtEnd)
        {
            var opcode = reader.U8();
            switch (opcode >> 6)
            {
                case 1: // DW_CFA_advance_loc, delta in the low 6 bits
                    Advance(ref location, (ulong)(opcode & 0x3f) * context.CodeAlignment, state, fdeEnd, sink);
                    continue;
                case 2: // DW_CFA_offset, register in the low 6 bits
                    SetRule(ref state, (ulong)(opcode & 0x3f), new RegisterRule(RegisterRuleKind.Offset, (long)reader.Uleb128() * context.DataAlignment), context);
                    continue;
                case 3: // DW_CFA_restore, register in the low 6 bits
                    Restore(ref state, (ulong)(opcode & 0x3f), context);
                    continue;
            }
            switch (opcode)
            {
                case 0x00: // DW_CFA_nop
                    break;
                case 0x01: // DW_CFA_set_loc
                    if ((context.AddressEncoding & PointerEncoding.Indirect) != 0) throw new CallFrameFormatException(UnwindIssue.PointerEncodingUnsupported);
                    var target = PointerEncoding.Read(ref reader, context.AddressEncoding, context.Bases);
                    if (sink is not null && target < location) throw new CallFrameFormatException(UnwindIssue.InstructionMalformed);
                    MoveTo(ref location, target, state, fdeEnd, sink);
                    break;
                case 0x02: // DW_CFA_advance_loc1
                    Advance(ref location, reader.U8() * context.CodeAlignment, state, fdeEnd, sink);
                    break;
                case 0x03: // DW_CFA_advance_loc2
                    Advance(ref location, reader.U16() * context.CodeAlignment, state, fdeEnd, sink);
                    break;
                case 0x04: // DW_CFA_advance_loc4
                    Advance(ref location, reader.U32() * context.CodeAlignment, state, fdeEnd, sink);
                    break;
                case 0x05: // DW_CFA_offset_extended
                    SetRule(ref state, reader.Uleb128(), new RegisterRule(RegisterRuleKind.Offset, (long)reader.Uleb128() * context.DataAlignment), context);
                    break;
                case 0x06: // DW_CFA_restore_extended
                    Restore(ref state, reader.Uleb128(), context);
                    break;
                case 0x07: // DW_CFA_undefined
                    SetRule(ref state, reader.Uleb128(), new RegisterRule(RegisterRuleKind.Undefined), context);
                    break;
                case 0x08: // DW_CFA_same_value
                    SetRule(ref state, reader.Uleb128(), new RegisterRule(RegisterRuleKind.SameValue), context);
                    break;
                case 0x09: // DW_CFA_register
                    SetRule(ref state, reader.Uleb128(), new RegisterRule(RegisterRuleKind.Register, (long)reader.Uleb128()), context);
                    break;
                case 0x0a: // DW_CFA_remember_state: the whole row, CFA included (as libgcc and readelf do)
                    if (depth == MaxRememberDepth) throw new CallFrameFormatException(UnwindIssue.InstructionMalformed);
                    _remembered[depth++] = state;
                    break;
                case 0x0b: // DW_CFA_restore_state
                    if (depth == 0) throw new CallFrameFormatException(UnwindIssue.InstructionMalformed);
                    state = _remembered[--depth];
                    break;
                case 0x0c: // DW_CFA_def_cfa
                    state.CfaKind = CfaRuleKind.RegisterOffset;
                    state.CfaRegister = reader.Uleb128();
                    state.CfaOffset = (long)reader.Uleb128();
                    break;
                case 0x0d: // DW_CFA_def_cfa_register (keeps the offset)
                    state.CfaKind = CfaRuleKind.RegisterOffset;
                    state.CfaRegister = reader.Uleb128();
                    break;
                case 0x0e: // DW_CFA_def_cfa_offset (not factored)
                    state.CfaOffset = (long)reader.Uleb128();
                    break;
                case 0x0f: // DW_CFA_def_cfa_expression
                    var expression = reader.Take((int)Math.Min(reader.Uleb128(), int.MaxValue));
                    state.CfaKind = PltCfaExpression.Matches(expression) ? CfaRuleKind.PltExpression : CfaRuleKind.Expression;
                    break;
                case 0x10: // DW_CFA_expression
                    var savedAt = reader.Uleb128();
                    reader.Skip(reader.Uleb128());
                    SetRule(ref state, savedAt, new RegisterRule(RegisterRuleKind.Expression), context);
                    break;
                case 0x11: // DW_CFA_offset_extended_sf
                    SetRule(ref state, reader.Uleb128(), new RegisterRule(RegisterRuleKind.Offset, reader.Sleb128() * context.DataAlignment), context);
                    break;
                case 0x12: // DW_CFA_def_cfa_sf
                    state.CfaKind = CfaRuleKind.RegisterOffset;
                    state.CfaRegister = reader.Uleb128();
                    state.CfaOffset = reader.Sleb128() * context.DataAlignment;
                    break;
                case 0x13: // DW_CFA_def_cfa_offset_sf
                    state.CfaOffset = reader.Sleb128() * context.DataAlignment;
                    break;
                case 0x14: // DW_CFA_val_offset
                    SetRule(ref state, reader.Uleb128(), new RegisterRule(RegisterRuleKind.ValueOffset, (long)reader.Uleb128() * context.DataAlignment), context);
                    break;
                case 0x15: // DW_CFA_val_offset_sf
                    SetRule(ref state, reader.Uleb128(), new RegisterRule(RegisterRuleKind.ValueOffset, reader.Sleb128() * context.DataAlignment), context);
                    break;
                case 0x16: // DW_CFA_val_expression
                    var valueOf = reader.Uleb128();
                    reader.Skip(reader.Uleb128());
                    SetRule(ref state, valueOf, new RegisterRule(RegisterRuleKind.ValueExpression), context);
                    break;
                case 0x2e: // DW_CFA_GNU_args_size: only matters to exception handling
                    reader.Uleb128();
                    break;
                case 0x2f: // DW_CFA_GNU_negative_offset_extended
                    SetRule(ref state, reader.Uleb128(), new RegisterRule(RegisterRuleKind.Offset, -((long)reader.Uleb128() * context.DataAlignment)), context);
                    break;
                default:
                    throw new CallFrameFormatException(UnwindIssue.InstructionUnknown);
            }
        }
    }

    private static void Advance(ref ulong location, ulong delta, in FrameState state, ulong fdeEnd, IFrameRowSink? sink)
    {
        var target = unchecked(location + delta);
        if (target < location) throw new CallFrameFormatException(UnwindIssue.InstructionMalformed);
        MoveTo(ref location, target, state, fdeEnd, sink);
    }

    private static void MoveTo(ref ulong location, ulong target, in FrameState state, ulong fdeEnd, IFrameRowSink? sink)
    {
        // The row that held until now is complete; rows past the FDE's end describe nothing.
        if (sink is not null && target > location && location < fdeEnd) sink.Row(location, state);
        location = target;
    }

    private static void SetRule(ref FrameState state, ulong register, RegisterRule rule, in InstructionContext context)
    {
        if (register == Registers.Rbp) state.Rbp = rule;
        if (register == context.ReturnAddressRegister) state.ReturnAddress = rule;
    }

    private static void Restore(ref FrameState state, ulong register, in InstructionContext context)
    {
        if (register == Registers.Rbp) state.Rbp = context.InitialState.Rbp;
        if (register == context.ReturnAddressRegister) state.ReturnAddress = context.InitialState.ReturnAddress;
    }
}
