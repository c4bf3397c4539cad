using System.Runtime.InteropServices;

namespace Collector.Bpf.Records;

/// <summary>
/// Mirror of <c>struct profiler_unwind_row</c>, the layout Collector.Unwinding writes (UnwindRowLayout). Rows reach
/// the kernel as those bytes; this mirror exists so the layout test can hold both to the header.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct UnwindRowRecord
{
    public uint PcStart;
    public int CfaOffset;
    public short RbpOffset;
    public byte CfaKind;
    public byte Rules;
}
