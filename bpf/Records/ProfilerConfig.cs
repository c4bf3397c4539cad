using System.Runtime.InteropServices;

namespace Collector.Bpf.Records;

/// <summary>Mirror of <c>struct profiler_config</c>, the value of the single-entry "config" map.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct ProfilerConfig
{
    public uint SelfPid;
    public uint FilterPids;
    public uint KernelStacks;
    public uint UserBuildIds;
    public uint WakeOnExec;
}
