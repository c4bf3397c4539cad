using System.Runtime.InteropServices;

namespace Collector.Bpf.Records;

/// <summary>Mirror of <c>struct profiler_process_event</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct ProcessEventRecord
{
    public uint Kind;
    public uint Pid;
    public uint ParentPid;
    public uint Reserved;
    public ulong KtimeNanos;
    public ulong StartBoottimeNanos;
    public fixed byte Comm[AbiConstants.CommLength];
    public fixed byte Filename[AbiConstants.FilenameLength];
}
