using System.Runtime.InteropServices;

namespace Collector.Bpf.Records;

/// <summary>Mirror of <c>struct profiler_process_mappings</c>, the value of <c>process_mappings[pid]</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct ProcessMappingsRecord
{
    public ulong StartBoottimeNanos;
    public uint Count;
    public uint Flags;

    /// <summary><see cref="AbiConstants.MaxMappings"/> <see cref="MappingRecord"/>s, sorted by start.</summary>
    public fixed ulong Mappings[AbiConstants.MaxMappings * MappingRecord.Slots];
}
