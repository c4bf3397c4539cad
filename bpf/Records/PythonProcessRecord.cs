using System.Runtime.InteropServices;

namespace Collector.Bpf.Records;

/// <summary>Mirror of <c>struct profiler_python_process</c>, the value of <c>python_processes[pid]</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct PythonProcessRecord
{
    public ulong StartBoottimeNanos;
    public ulong Runtime;
    public ulong CodeType;
    public ushort RuntimeInterpretersHead;
    public ushort InterpreterThreadsHead;
    public ushort ThreadNext;
    public ushort ThreadId;
    public ushort ThreadFrame;
    public ushort CFrameCurrentFrame;
    public ushort FramePrevious;
    public ushort FrameCode;
    public ushort FrameInstruction;
    public ushort FrameOwner;
    public ushort FrameIsEntry;
    public ushort CodeBytecode;
    public byte FramesKind;
    public byte ThreadMatch;
    public byte OwnerCStack;
    public byte Reserved;
    public uint Reserved2;

    /// <summary>PROFILER_PYTHON_NO_FIELD.</summary>
    public const ushort NoField = 0xffff;

    /// <summary>PROFILER_PYTHON_NO_OWNER.</summary>
    public const byte NoOwner = 0xff;
}
