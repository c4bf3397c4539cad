using System.Globalization;
using Collector.Unwinding.Table;

namespace Collector.Unwinding.Tests.Support;

/// <summary>
/// Compares a table with readelf's rows: at every location readelf prints inside an FDE, our row must give the same
/// CFA rule and RBP rule. Rows readelf shows with a rule no unwind row can hold (an expression other than the ones we
/// recognise, another CFA register) are counted by reason instead, and must come out as unsupported in ours.
/// </summary>
internal sealed class ReadelfAgreement
{
    public int Compared { get; private set; }
    public int Matched { get; private set; }
    public SortedDictionary<string, int> NotRepresentable { get; } = new(StringComparer.Ordinal);
    public List<string> Mismatches { get; } = [];

    public static ReadelfAgreement Check(UnwindTable table, IEnumerable<ReadelfFrames.Fde> fdes)
    {
        var agreement = new ReadelfAgreement();
        foreach (var fde in fdes)
        {
            foreach (var row in fde.Rows)
            {
                if (row.Location < fde.Start || row.Location >= fde.End) continue; // readelf prints rows past the range too
                agreement.Compare(table, row);
            }
        }
        return agreement;
    }

    public string Summary =>
        $"{Matched}/{Compared} rows agree ({(Compared == 0 ? 0 : 100.0 * Matched / Compared):F2}%)" +
        (NotRepresentable.Count == 0 ? "" : "; not representable: " + string.Join(", ", NotRepresentable.Select(p => $"{p.Key}={p.Value}")));

    private void Compare(UnwindTable table, ReadelfFrames.Row expected)
    {
        Compared++;
        if (!table.TryFind(expected.Location, out var actual))
        {
            Mismatches.Add($"{expected.Location:x}: no row");
            return;
        }
        var cfaReason = ExpectedCfa(expected.Cfa, out var kind, out var offset);
        if (cfaReason is not null)
        {
            // An expression is either one we recognise (PLT, signal frame) or unsupported; anything else is unsupported.
            var acceptable = cfaReason == "CFA expression"
                ? actual.CfaKind is CfaKind.PltExpression or CfaKind.SignalFrame or CfaKind.Unsupported
                : actual.CfaKind == CfaKind.Unsupported;
            if (!acceptable) Mismatches.Add($"{expected.Location:x}: readelf {expected.Cfa}, ours {actual}");
            else Count(actual.CfaKind switch
            {
                CfaKind.PltExpression => "CFA expression: PLT (recognised, row kind PltExpression)",
                CfaKind.SignalFrame => "CFA expression: signal frame (recognised, row kind SignalFrame)",
                _ => cfaReason,
            });
            if (acceptable && actual.CfaKind is CfaKind.PltExpression or CfaKind.SignalFrame) Matched++;
            return;
        }
        var rbpReason = ExpectedRbp(expected.Rbp, out var rbpRule, out var rbpOffset);
        var cfaAgrees = actual.CfaKind == kind && actual.CfaOffset == offset;
        var rbpAgrees = rbpReason is null
            ? actual.RbpRule == rbpRule && (rbpRule != RbpRule.AtCfaOffset || actual.RbpOffset == rbpOffset)
            : actual.RbpRule == RbpRule.Unsupported;
        if (!cfaAgrees || !rbpAgrees)
        {
            Mismatches.Add($"{expected.Location:x}: readelf cfa={expected.Cfa} rbp={expected.Rbp ?? "-"}, ours {actual}");
            return;
        }
        if (rbpReason is not null) Count(rbpReason);
        else Matched++;
    }

    private void Count(string reason) => NotRepresentable[reason] = NotRepresentable.GetValueOrDefault(reason) + 1;

    private static string? ExpectedCfa(string text, out CfaKind kind, out int offset)
    {
        (kind, offset) = (CfaKind.Unsupported, 0);
        if (text == "exp") return "CFA expression";
        var plus = text.IndexOf('+', StringComparison.Ordinal);
        if (plus < 0) return "CFA rule " + text;
        var register = text[..plus];
        offset = int.Parse(text[(plus + 1)..], CultureInfo.InvariantCulture);
        kind = register switch { "rsp" => CfaKind.RspOffset, "rbp" => CfaKind.RbpOffset, _ => CfaKind.Unsupported };
        return kind == CfaKind.Unsupported ? "CFA register " + register : null;
    }

    private static string? ExpectedRbp(string? text, out RbpRule rule, out int offset)
    {
        (rule, offset) = (RbpRule.Unchanged, 0);
        // readelf prints "u" both for "not saved yet" and DW_CFA_undefined, and "s" for same value: all leave RBP as is.
        if (text is null or "u" or "s") return null;
        if (text.StartsWith('c') && int.TryParse(text[1..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out offset))
        {
            rule = RbpRule.AtCfaOffset;
            return null;
        }
        return "RBP rule " + (text.StartsWith('r') ? "register" : text);
    }
}
