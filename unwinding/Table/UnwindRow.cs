using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Collector.Unwinding.Table;

/// <summary>How a row finds the canonical frame address (the caller's RSP before the call).</summary>
public enum CfaKind : byte
{
    /// <summary>The CFA rule cannot be expressed in a row: stop unwinding here (the reason is counted).</summary>
    Unsupported = 0,
    /// <summary>CFA = RSP + <see cref="UnwindRow.CfaOffset"/>.</summary>
    RspOffset = 1,
    /// <summary>CFA = RBP + <see cref="UnwindRow.CfaOffset"/>.</summary>
    RbpOffset = 2,
    /// <summary>The .plt rule: CFA = RSP + <see cref="UnwindRow.CfaOffset"/> (8) + ((RIP &amp; 15) &gt;= 11 ? 8 : 0).</summary>
    PltExpression = 3,
    /// <summary>
    /// A signal frame (augmentation 'S', libc's <c>__restore_rt</c>): RSP points at the kernel's <c>ucontext_t</c>, and
    /// RBP, RSP and RIP of the interrupted code are its saved registers (see <see cref="UnwindRowLayout"/>).
    /// </summary>
    SignalFrame = 4,
    /// <summary>No call-frame information covers this address: step by frame pointer.</summary>
    FramePointer = 5,
}

/// <summary>Where the caller's RBP is.</summary>
public enum RbpRule : byte
{
    /// <summary>RBP still holds the caller's value.</summary>
    Unchanged = 0,
    /// <summary>The caller's RBP is saved at CFA + <see cref="UnwindRow.RbpOffset"/>.</summary>
    AtCfaOffset = 1,
    /// <summary>Restored some other way (another register, an expression); its value is unknown to the unwinder.</summary>
    Unsupported = 2,
}

/// <summary>Where the return address is.</summary>
public enum ReturnAddressRule : byte
{
    /// <summary>At CFA − 8, as every x86-64 call leaves it.</summary>
    AtCfaMinus8 = 0,
    /// <summary>Undefined: the outermost frame (<c>_start</c>, a thread's start routine); the stack is complete here.</summary>
    Undefined = 1,
    /// <summary>Anything else: stop unwinding here.</summary>
    Unsupported = 2,
}

/// <summary>
/// One row of an unwind table: from <see cref="PcStart"/> up to the next row's start, how to find the CFA, the
/// caller's RBP and the return address. The byte layout is fixed by <see cref="UnwindRowLayout"/>, the one place
/// the BPF header mirrors.
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
public readonly struct UnwindRow : IEquatable<UnwindRow>
{
    // Declared in the order of UnwindRowLayout, so that in memory (on little-endian hosts) a row is its 12 bytes.
    private readonly uint _pcStart;
    private readonly int _cfaOffset;
    private readonly short _rbpOffset;
    private readonly CfaKind _cfaKind;
    private readonly byte _rules;

    public UnwindRow(uint pcStart, CfaKind cfaKind, int cfaOffset, RbpRule rbpRule, short rbpOffset, ReturnAddressRule returnAddress)
    {
        _pcStart = pcStart;
        _cfaOffset = cfaOffset;
        _rbpOffset = rbpOffset;
        _cfaKind = cfaKind;
        _rules = (byte)((byte)rbpRule | ((byte)returnAddress << 2));
    }

    /// <summary>The first address, as a virtual address in the file (runtime PC minus the mapping's load bias).</summary>
    public uint PcStart => _pcStart;

    public int CfaOffset => _cfaOffset;

    public short RbpOffset => _rbpOffset;

    public CfaKind CfaKind => _cfaKind;

    public RbpRule RbpRule => (RbpRule)(_rules & 0x3);

    public ReturnAddressRule ReturnAddress => (ReturnAddressRule)((_rules >> 2) & 0x3);

    /// <summary>A copy that starts elsewhere.</summary>
    public UnwindRow At(uint pcStart) => new(pcStart, CfaKind, CfaOffset, RbpRule, RbpOffset, ReturnAddress);

    /// <summary>Whether the two rows unwind the same way, wherever they start (adjacent such rows are merged).</summary>
    public bool HasSameRules(UnwindRow other) =>
        CfaKind == other.CfaKind && CfaOffset == other.CfaOffset && RbpOffset == other.RbpOffset && _rules == other._rules;

    /// <summary>Writes the row in the layout of <see cref="UnwindRowLayout"/>.</summary>
    public void WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(destination[UnwindRowLayout.PcStartOffset..], PcStart);
        BinaryPrimitives.WriteInt32LittleEndian(destination[UnwindRowLayout.CfaOffsetOffset..], CfaOffset);
        BinaryPrimitives.WriteInt16LittleEndian(destination[UnwindRowLayout.RbpOffsetOffset..], RbpOffset);
        destination[UnwindRowLayout.CfaKindOffset] = (byte)CfaKind;
        destination[UnwindRowLayout.RulesOffset] = _rules;
    }

    public bool Equals(UnwindRow other) => PcStart == other.PcStart && HasSameRules(other);

    public override bool Equals(object? obj) => obj is UnwindRow other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(PcStart, CfaKind, CfaOffset, RbpOffset, _rules);

    public static bool operator ==(UnwindRow left, UnwindRow right) => left.Equals(right);

    public static bool operator !=(UnwindRow left, UnwindRow right) => !left.Equals(right);

    public override string ToString() =>
        $"{PcStart:x8} {CfaKind} {CfaOffset} rbp={RbpRule}{(RbpRule == RbpRule.AtCfaOffset ? $"({RbpOffset})" : "")} ra={ReturnAddress}";
}
