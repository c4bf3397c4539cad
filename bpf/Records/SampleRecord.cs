using System.Runtime.InteropServices;

namespace Collector.Bpf.Records;

/// <summary>
/// Mirror of <c>struct profiler_sample</c>. In the ring buffer only the used part of <see cref="Data"/> is present:
/// kernel addresses, user addresses, one <see cref="FrameOriginRecord"/> per user frame (or none), then the
/// <see cref="PythonFrameRecord"/>s of a CPython process.
/// </summary>
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
    public ushort UserOrigins;
    public byte UserStop;
    public byte Reserved;
    public ushort PythonFrames;
    public fixed ushort Reserved2[3];
    public fixed ulong Data[DataSlots];

    /// <summary>Two full stacks of addresses, a full stack of origins and the most Python frames, in 8-byte slots.</summary>
    public const int DataSlots = 2 * AbiConstants.MaxFrames + AbiConstants.MaxFrames * FrameOriginRecord.Slots
        + AbiConstants.MaxPythonFrames * PythonFrameRecord.Slots;

    /// <summary>Bytes before the data: the smallest valid sample record.</summary>
    // Computed once: Marshal.OffsetOf looks the field up by name, which cost a quarter of the poll thread per sample.
    public static readonly int HeaderSize = (int)Marshal.OffsetOf<SampleRecord>(nameof(Data));
}
