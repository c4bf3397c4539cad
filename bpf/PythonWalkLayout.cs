using Collector.Bpf.Records;

namespace Collector.Bpf;

/// <summary>What the thread state's frame chain is made of (<c>enum profiler_python_frames_kind</c>).</summary>
public enum PythonFramesKind : byte
{
    /// <summary>3.10: <c>PyFrameObject</c>s, one native eval call each, <c>f_lasti</c> in 2-byte code units.</summary>
    FrameObjects = 1,

    /// <summary>3.11+: <c>_PyInterpreterFrame</c>s with a pointer to the executing instruction.</summary>
    InterpreterFrames = 2,
}

/// <summary>Which thread state field names the sampled thread (<c>enum profiler_python_thread_match</c>).</summary>
public enum PythonThreadMatch : byte
{
    /// <summary><c>thread_id</c> (pthread_self) equals the thread's FS base: right in any pid namespace.</summary>
    Pthread = 0,

    /// <summary><c>native_thread_id</c> (3.11+) equals the kernel thread id: right in the host pid namespace only.</summary>
    Tid = 1,
}

/// <summary>
/// The byte offsets the BPF walk of one CPython version reads (<c>struct profiler_python_process</c>); fields the
/// version lacks are <see cref="NoField"/>. Pure data: which version has which offsets is the interpreter layout's
/// business, not this project's.
/// </summary>
public sealed record PythonWalkLayout
{
    public const ushort NoField = PythonProcessRecord.NoField;

    public const byte NoOwner = PythonProcessRecord.NoOwner;

    public required PythonFramesKind FramesKind { get; init; }

    public PythonThreadMatch ThreadMatch { get; init; } = PythonThreadMatch.Pthread;

    /// <summary><c>_PyRuntimeState.interpreters.head</c>.</summary>
    public required ushort RuntimeInterpretersHead { get; init; }

    /// <summary><c>PyInterpreterState.threads.head</c> (3.10: <c>tstate_head</c>).</summary>
    public required ushort InterpreterThreadsHead { get; init; }

    /// <summary><c>PyThreadState.next</c>.</summary>
    public required ushort ThreadNext { get; init; }

    /// <summary><c>PyThreadState.thread_id</c> for <see cref="PythonThreadMatch.Pthread"/>, <c>native_thread_id</c> for <see cref="PythonThreadMatch.Tid"/>.</summary>
    public required ushort ThreadId { get; init; }

    /// <summary><c>PyThreadState.frame</c> (3.10), <c>.cframe</c> (3.11, 3.12), <c>.current_frame</c> (3.13+).</summary>
    public required ushort ThreadFrame { get; init; }

    /// <summary><c>_PyCFrame.current_frame</c> when <see cref="ThreadFrame"/> points at a <c>_PyCFrame</c>; otherwise <see cref="NoField"/>.</summary>
    public ushort CFrameCurrentFrame { get; init; } = NoField;

    /// <summary><c>previous</c> (3.10: <c>f_back</c>).</summary>
    public required ushort FramePrevious { get; init; }

    /// <summary><c>f_code</c> (3.13+: <c>f_executable</c>).</summary>
    public required ushort FrameCode { get; init; }

    /// <summary><c>prev_instr</c> (3.11, 3.12), <c>instr_ptr</c> (3.13+), the int <c>f_lasti</c> (3.10).</summary>
    public required ushort FrameInstruction { get; init; }

    /// <summary>The byte <c>owner</c> (3.11+).</summary>
    public ushort FrameOwner { get; init; } = NoField;

    /// <summary>The byte <c>is_entry</c> (3.11 only).</summary>
    public ushort FrameIsEntry { get; init; } = NoField;

    /// <summary><c>PyCodeObject.co_code_adaptive</c> (3.11+).</summary>
    public ushort CodeBytecode { get; init; } = NoField;

    /// <summary><c>FRAME_OWNED_BY_CSTACK</c> (3.12+): the owner of the shim frame an eval call pushes.</summary>
    public byte OwnerCStack { get; init; } = NoOwner;
}
