using Collector.Unwinding.Dwarf;

namespace Collector.Unwinding.Table;

/// <summary>
/// Turns DWARF rows into unwind rows. An FDE's rows are held until the whole FDE has been read, so a malformed FDE
/// leaves no trace; then they are appended, followed by a frame-pointer row at the FDE's end (replaced when the next
/// FDE starts right there). Adjacent rows with the same rules are merged, so the result is sorted and minimal.
/// </summary>
internal sealed class UnwindRowWriter(UnwindIssueCounts issues) : IFrameRowSink
{
    private readonly List<(ulong Start, FrameState State)> _pending = [];
    private readonly List<UnwindRow> _rows = [];

    public void Row(ulong start, in FrameState state) => _pending.Add((start, state));

    /// <summary>Forgets the rows of an FDE that turned out malformed.</summary>
    public void Discard() => _pending.Clear();

    /// <summary>Appends the held rows of an FDE that ends at <paramref name="end"/> (at most 2^32 − 1).</summary>
    public void Commit(ulong end, bool isSignalFrame)
    {
        foreach (var (start, state) in _pending) Append(isSignalFrame ? SignalFrameRow(start) : Compile(start, state));
        _pending.Clear();
        Append(new UnwindRow((uint)end, CfaKind.FramePointer, 0, RbpRule.Unchanged, 0, ReturnAddressRule.AtCfaMinus8));
    }

    public UnwindRow[] ToArray() => [.. _rows];

    private void Append(UnwindRow row)
    {
        // A row for the same address as the last one supersedes it (the next FDE starts where the last ended).
        if (_rows.Count > 0 && _rows[^1].PcStart == row.PcStart) _rows.RemoveAt(_rows.Count - 1);
        if (_rows.Count > 0 && _rows[^1].HasSameRules(row)) return;
        _rows.Add(row);
    }

    private static UnwindRow SignalFrameRow(ulong start) =>
        new((uint)start, CfaKind.SignalFrame, 0, RbpRule.Unchanged, 0, ReturnAddressRule.AtCfaMinus8);

    private UnwindRow Compile(ulong start, in FrameState state)
    {
        var (cfaKind, cfaOffset) = CompileCfa(state);
        var (rbpRule, rbpOffset) = state.Rbp switch
        {
            { Kind: RegisterRuleKind.SameValue or RegisterRuleKind.Undefined } => (RbpRule.Unchanged, (short)0),
            { Kind: RegisterRuleKind.Offset, Operand: >= short.MinValue and <= short.MaxValue } => (RbpRule.AtCfaOffset, (short)state.Rbp.Operand),
            _ => (Count(UnwindIssue.RbpRuleUnsupported, RbpRule.Unsupported), (short)0),
        };
        var returnAddress = state.ReturnAddress switch
        {
            { Kind: RegisterRuleKind.Offset, Operand: -8 } => ReturnAddressRule.AtCfaMinus8,
            { Kind: RegisterRuleKind.Undefined } => ReturnAddressRule.Undefined,
            _ => Count(UnwindIssue.ReturnAddressRuleUnsupported, ReturnAddressRule.Unsupported),
        };
        return new UnwindRow((uint)start, cfaKind, cfaOffset, rbpRule, rbpOffset, returnAddress);
    }

    private (CfaKind Kind, int Offset) CompileCfa(in FrameState state)
    {
        switch (state.CfaKind)
        {
            case CfaRuleKind.PltExpression:
                return (CfaKind.PltExpression, PltCfaExpression.RspOffset);
            case CfaRuleKind.Expression:
                return (Count(UnwindIssue.CfaExpressionUnsupported, CfaKind.Unsupported), 0);
        }
        if (state.CfaRegister is not (Registers.Rsp or Registers.Rbp)) return (Count(UnwindIssue.CfaRegisterUnsupported, CfaKind.Unsupported), 0);
        if (state.CfaOffset is < int.MinValue or > int.MaxValue) return (Count(UnwindIssue.CfaOffsetOutOfRange, CfaKind.Unsupported), 0);
        return (state.CfaRegister == Registers.Rsp ? CfaKind.RspOffset : CfaKind.RbpOffset, (int)state.CfaOffset);
    }

    private T Count<T>(UnwindIssue issue, T result)
    {
        issues.Add(issue);
        return result;
    }
}
