using Collector.Bpf.Native;
using Collector.Bpf.Records;

namespace Collector.Bpf;

/// <summary>
/// The <c>python_processes</c> map: which processes the sampler walks CPython frames of, and how. Every method is one
/// bpf(2) call and returns false, never throws, when the kernel refuses (a full map): that process's samples then
/// keep their native frames only.
/// <para>Thread-safe: the kernel serializes map updates.</para>
/// </summary>
public sealed unsafe class PythonMaps
{
    public const int MaxProcesses = AbiConstants.MaxProcesses;

    private readonly int _processesFd;

    internal PythonMaps(int processesFd) => _processesFd = processesFd;

    /// <summary>
    /// Marks process <paramref name="pid"/> (started at <paramref name="startBoottimeNanos"/>, as samples carry it) as
    /// CPython with <c>_PyRuntime</c> at <paramref name="runtimeAddress"/>. <paramref name="codeTypeAddress"/> is
    /// <c>PyCode_Type</c> in the process; the walk drops frames whose code object has another type (0: no check).
    /// </summary>
    public bool SetProcess(int pid, ulong startBoottimeNanos, ulong runtimeAddress, ulong codeTypeAddress, PythonWalkLayout layout, out int error)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var value = new PythonProcessRecord
        {
            StartBoottimeNanos = startBoottimeNanos,
            Runtime = runtimeAddress,
            CodeType = codeTypeAddress,
            RuntimeInterpretersHead = layout.RuntimeInterpretersHead,
            InterpreterThreadsHead = layout.InterpreterThreadsHead,
            ThreadNext = layout.ThreadNext,
            ThreadId = layout.ThreadId,
            ThreadFrame = layout.ThreadFrame,
            CFrameCurrentFrame = layout.CFrameCurrentFrame,
            FramePrevious = layout.FramePrevious,
            FrameCode = layout.FrameCode,
            FrameInstruction = layout.FrameInstruction,
            FrameOwner = layout.FrameOwner,
            FrameIsEntry = layout.FrameIsEntry,
            CodeBytecode = layout.CodeBytecode,
            FramesKind = (byte)layout.FramesKind,
            ThreadMatch = (byte)layout.ThreadMatch,
            OwnerCStack = layout.OwnerCStack,
        };
        var key = (uint)pid;
        error = LibbpfMaps.Update(_processesFd, &key, &value, LibbpfMaps.UpdateAny);
        return error == 0;
    }

    /// <summary>Forgets a process; false when the kernel had no entry for it.</summary>
    public bool RemoveProcess(int pid)
    {
        var key = (uint)pid;
        return LibbpfMapCreation.Delete(_processesFd, &key) == 0;
    }
}
