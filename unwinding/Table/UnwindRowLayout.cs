namespace Collector.Unwinding.Table;

/// <summary>
/// The byte layout of one unwind row, little-endian, 12 bytes, no padding. The BPF header mirrors exactly this:
/// <code>
/// struct unwind_row {          // offset
///     __u32 pc_start;          //  0  file virtual address where the row starts; rows sorted ascending, unique
///     __s32 cfa_offset;        //  4  added to RSP or RBP (cfa_kind 1, 2) or the PLT base (3)
///     __s16 rbp_offset;        //  8  caller's RBP is saved at CFA + rbp_offset (when rbp_rule == 1)
///     __u8  cfa_kind;          // 10  0 unsupported, 1 RSP+off, 2 RBP+off, 3 PLT expression, 4 signal frame, 5 frame pointer
///     __u8  rules;             // 11  bits 0-1 rbp_rule (0 unchanged, 1 at CFA+off, 2 unsupported),
///                              //     bits 2-3 return address (0 at CFA-8, 1 undefined = outermost, 2 unsupported)
/// };
/// </code>
/// A row holds from its pc_start up to the next row's; the last row of a table (and of every stretch of code with
/// call-frame information) is a frame-pointer row at the end of the code it covers. A PC below the first row has
/// no information: step by frame pointer.
/// Signal frames (cfa_kind 4): RSP points at <c>struct rt_sigframe</c> minus its return address, i.e. at the
/// <c>ucontext_t</c>; the interrupted registers are at RSP + <see cref="SignalRbp"/>, <see cref="SignalRsp"/> and
/// <see cref="SignalRip"/> (uc_mcontext.gregs, as libc's own FDE for __restore_rt says).
/// </summary>
public static class UnwindRowLayout
{
    public const int Size = 12;
    public const int PcStartOffset = 0;
    public const int CfaOffsetOffset = 4;
    public const int RbpOffsetOffset = 8;
    public const int CfaKindOffset = 10;
    public const int RulesOffset = 11;

    /// <summary>
    /// A bucket of a table's index (<see cref="UnwindBucketIndex"/>) takes one row-sized slot after the rows:
    /// <c>struct unwind_bucket { __u32 first; __u32 end; __u32 reserved; }</c>, little-endian.
    /// </summary>
    public const int BucketFirstOffset = 0;
    public const int BucketEndOffset = 4;
    public const int BucketReservedOffset = 8;

    public const int SignalRbp = 120;
    public const int SignalRsp = 160;
    public const int SignalRip = 168;
}
