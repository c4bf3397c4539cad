using System.Runtime.InteropServices;

namespace Collector.Bpf.Native;

/// <summary>
/// The first 64 bytes of <c>struct perf_event_attr</c> (PERF_ATTR_SIZE_VER0), all a sampling software event
/// needs; <see cref="Size"/> tells the kernel the rest is absent (zero). The layout test checks it against
/// <c>&lt;linux/perf_event.h&gt;</c>.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct PerfEventAttr
{
    public const uint SizeVer0 = 64;

    public uint Type;
    public uint Size;
    public ulong Config;
    /// <summary>sample_period, or sample_freq when <see cref="PerfEvents.FlagFrequency"/> is set.</summary>
    public ulong SampleFrequency;
    public ulong SampleType;
    public ulong ReadFormat;
    /// <summary>The bitfield word that starts with <c>disabled</c>.</summary>
    public ulong Flags;
    public uint WakeupEvents;
    public uint BreakpointType;
    public ulong Config1;
}
