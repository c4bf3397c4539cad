using Collector.Bpf;
using Collector.Interpreters.CPython;

namespace Collector.Receivers.Ebpf.Python;

/// <summary>The part of a CPython layout the kernel's frame walk reads, in the form its map takes.</summary>
internal static class CPythonWalkLayouts
{
    /// <summary>
    /// The walk layout of <paramref name="layout"/>, or null when an offset does not fit the map's 16 bits or a field
    /// the walk cannot do without is absent. Threads are matched by pthread id against the FS base: that works in
    /// every version and in any pid namespace, where <c>native_thread_id</c> holds the namespace's thread id.
    /// </summary>
    public static PythonWalkLayout? From(CPythonLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var thread = layout.Thread;
        var frame = layout.Frame;
        var interpreterFrames = frame.Kind == CPythonFrameKind.InterpreterFrame;
        // 3.11 and 3.12 reach the frame through _PyCFrame; 3.10 and 3.13 hold it in the thread state.
        var threadFrame = thread.CFrame != CPythonLayout.Absent ? thread.CFrame : thread.CurrentFrame;
        var cframeCurrent = thread.CFrame != CPythonLayout.Absent ? thread.CFrameCurrentFrame : CPythonLayout.Absent;
        int[] required =
        [
            layout.Runtime.InterpretersHead, layout.Interpreter.ThreadsHead, thread.Next, thread.PthreadId, threadFrame,
            frame.Previous, frame.Code, frame.Instruction, interpreterFrames ? layout.Code.Bytecode : 0,
        ];
        if (required.Any(offset => offset is < 0 or >= PythonWalkLayout.NoField) ||
            (thread.CFrame != CPythonLayout.Absent && cframeCurrent is < 0 or >= PythonWalkLayout.NoField) ||
            frame.OwnedByCStack is >= PythonWalkLayout.NoOwner)
        {
            return null;
        }
        return new PythonWalkLayout
        {
            FramesKind = interpreterFrames ? PythonFramesKind.InterpreterFrames : PythonFramesKind.FrameObjects,
            ThreadMatch = PythonThreadMatch.Pthread,
            RuntimeInterpretersHead = (ushort)layout.Runtime.InterpretersHead,
            InterpreterThreadsHead = (ushort)layout.Interpreter.ThreadsHead,
            ThreadNext = (ushort)thread.Next,
            ThreadId = (ushort)thread.PthreadId,
            ThreadFrame = (ushort)threadFrame,
            CFrameCurrentFrame = Optional(cframeCurrent),
            FramePrevious = (ushort)frame.Previous,
            FrameCode = (ushort)frame.Code,
            FrameInstruction = (ushort)frame.Instruction,
            FrameOwner = Optional(frame.Owner),
            FrameIsEntry = Optional(frame.IsEntry),
            CodeBytecode = interpreterFrames ? (ushort)layout.Code.Bytecode : PythonWalkLayout.NoField,
            OwnerCStack = frame.OwnedByCStack is >= 0 and < PythonWalkLayout.NoOwner ? (byte)frame.OwnedByCStack : PythonWalkLayout.NoOwner,
        };
    }

    private static ushort Optional(int offset) => offset is >= 0 and < PythonWalkLayout.NoField ? (ushort)offset : PythonWalkLayout.NoField;
}
