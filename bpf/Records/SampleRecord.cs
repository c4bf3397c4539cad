using System.Runtime.InteropServices;

namespace Collector.Bpf.Records;

/// <summary>Mirror of <c>struct profiler_sample</c>. In the ring buffer only the used part of <see cref="Frames"/> is present.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct SampleRecord
{
    public uint Kind;
    public uint Pid;
    public uint Tid;
    public uint Cpu;
    public ulong KtimeNanos;
    public ulong StartBoottimeNanos;
    public fixed byte Comm[AbiConstants.CommLength];
    public ushort KernelFrames;
    public ushort UserFrames;
    public uint Reserved;
    public fixed ulong Frames[2 * AbiConstants.MaxFrames];

    /// <summary>Bytes before the frames: the smallest valid sample record.</summary>
    public static int HeaderSize => (int)Marshal.OffsetOf<SampleRecord>(nameof(Frames));
}
