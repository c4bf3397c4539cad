using System.Runtime.InteropServices;

namespace Collector.Bpf.Records;

/// <summary>
/// Mirror of <c>struct profiler_unwind_bucket</c>, the layout Collector.Unwinding writes after a table's rows
/// (UnwindBucketIndex). Buckets reach the kernel as those bytes; this mirror exists so the layout test can hold both
/// to the header.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct UnwindBucketRecord
{
    public uint First;
    public uint End;
    public uint Reserved;
}
