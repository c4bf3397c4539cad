using System.Runtime.InteropServices;

namespace Collector.Bpf.Records;

/// <summary>Mirror of <c>struct profiler_python_frame</c>: one frame of a CPython thread's frame chain.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct PythonFrameRecord
{
    public ulong Code;
    public uint InstructionOffset;
    public uint Flags;

    /// <summary>How many 8-byte slots of <see cref="SampleRecord.Data"/> one frame takes.</summary>
    public const int Slots = 2;

    /// <summary>PROFILER_PYTHON_FRAME_ENTRY: the outermost frame of its native eval-loop call.</summary>
    public const uint EntryFlag = 1;
}
