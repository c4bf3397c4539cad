using System.Runtime.InteropServices;

namespace Collector.Bpf.Records;

/// <summary>Mirror of <c>struct profiler_mapping</c>: one executable mapping of a process, for the unwinder.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct MappingRecord
{
    public ulong Start;
    public ulong End;
    public ulong Bias;
    public uint TableId;
    public uint Rows;
    public uint IndexBase;
    public uint IndexBuckets;
    public uint IndexShift;
    public uint Reserved;

    /// <summary>Size in 8-byte slots (the mappings array of <see cref="ProcessMappingsRecord"/> is declared in slots).</summary>
    public const int Slots = 6;
}
