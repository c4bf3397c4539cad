namespace Collector.Interpreters.CPython;

/// <summary>
/// Byte offsets into one CPython version's structures (x86-64, release, non-debug, GIL build): what BPF follows at
/// sample time to find the sampled thread's frames, and what user space follows to name a code object.
/// <see cref="Absent"/> marks a field the version does not have. Plain data: the ebpf_profiling receiver copies it into
/// a BPF map, the symbolization processor reads code objects with it.
/// </summary>
/// <remarks>
/// Route at sample time, for every version: <c>_PyRuntime</c> + <see cref="RuntimeOffsets.InterpretersHead"/> →
/// PyInterpreterState* → + <see cref="InterpreterOffsets.ThreadsHead"/> → PyThreadState* → follow
/// <see cref="ThreadOffsets.Next"/> until the thread id matches the sampled thread (see <see cref="ThreadOffsets"/>),
/// then <see cref="ThreadOffsets"/> gives the innermost frame and <see cref="FrameOffsets"/> the chain.
/// </remarks>
public sealed record CPythonLayout(
    CPythonVersion Version,
    RuntimeOffsets Runtime,
    InterpreterOffsets Interpreter,
    ThreadOffsets Thread,
    FrameOffsets Frame,
    CodeOffsets Code,
    ObjectOffsets Objects)
{
    /// <summary>The value of an offset the version does not have.</summary>
    public const int Absent = -1;
}

/// <summary>Offsets in <c>_PyRuntimeState</c> (the <c>_PyRuntime</c> symbol).</summary>
/// <param name="InterpretersHead"><c>interpreters.head</c>: the newest interpreter; the main one in a process without sub-interpreters.</param>
/// <param name="GilHolderThread">
/// <c>gilstate.tstate_current</c> (3.10, 3.11): the thread state holding the GIL, or 0. A shortcut, not a replacement for the
/// thread list: a thread inside a C call that released the GIL is not it, so its thread id must still be compared.
/// <see cref="CPythonLayout.Absent"/> from 3.12 (the current thread state moved to thread-local storage).
/// </param>
public sealed record RuntimeOffsets(int InterpretersHead, int GilHolderThread);

/// <summary>Offsets in <c>PyInterpreterState</c>.</summary>
/// <param name="ThreadsHead"><c>threads.head</c> (3.10: <c>tstate_head</c>): the newest thread state.</param>
public sealed record InterpreterOffsets(int ThreadsHead);

/// <summary>Offsets in <c>PyThreadState</c>, and how to reach its innermost frame.</summary>
/// <param name="Next"><c>next</c>: the next (older) thread state of the interpreter, or 0.</param>
/// <param name="PthreadId">
/// <c>thread_id</c>: the creating thread's <c>pthread_self()</c>, which on x86-64 glibc is the thread's fs base
/// (<c>task->thread.fsbase</c> in BPF). The only thread identity in 3.10.
/// </param>
/// <param name="NativeThreadId"><c>native_thread_id</c> (3.11+): the kernel thread id (the sampled TID). <see cref="CPythonLayout.Absent"/> in 3.10.</param>
/// <param name="CFrame"><c>cframe</c> (3.11, 3.12): pointer to the _PyCFrame whose <see cref="CFrameCurrentFrame"/> is the innermost frame.</param>
/// <param name="CFrameCurrentFrame"><c>_PyCFrame.current_frame</c> (3.11, 3.12).</param>
/// <param name="CurrentFrame">
/// The innermost frame directly in the thread state: 3.10 <c>frame</c> (a PyFrameObject*), 3.13 <c>current_frame</c>
/// (a _PyInterpreterFrame*). <see cref="CPythonLayout.Absent"/> in 3.11 and 3.12, which go through <see cref="CFrame"/>.
/// </param>
public sealed record ThreadOffsets(int Next, int PthreadId, int NativeThreadId, int CFrame, int CFrameCurrentFrame, int CurrentFrame);

/// <summary>How frames are chained: frame objects (3.10) or interpreter frames (3.11+).</summary>
public enum CPythonFrameKind
{
    /// <summary>3.10: <c>PyFrameObject</c>, one per call of <c>_PyEval_EvalFrameDefault</c>; the instruction is <c>f_lasti</c>, an index of 2-byte code units.</summary>
    FrameObject,

    /// <summary>3.11+: <c>_PyInterpreterFrame</c>, several per evaluation loop call; the instruction is a pointer into the code object's bytecode.</summary>
    InterpreterFrame,
}

/// <summary>Offsets in a frame (3.10 <c>PyFrameObject</c>, 3.11+ <c>_PyInterpreterFrame</c>).</summary>
/// <param name="Kind">Which structure the frame is.</param>
/// <param name="Code"><c>f_code</c> (3.13: <c>f_executable</c>, a PyObject* that is a code object except in shim frames).</param>
/// <param name="Previous">The caller's frame: 3.10 <c>f_back</c>, 3.11+ <c>previous</c>.</param>
/// <param name="Instruction">
/// 3.10 <c>f_lasti</c> (int32, code units; byte offset = 2 × f_lasti, −1 before the first instruction); 3.11/3.12
/// <c>prev_instr</c> and 3.13 <c>instr_ptr</c> (pointers; byte offset = pointer − (code address + <see cref="CodeOffsets.Bytecode"/>)).
/// Python itself computes the line of a frame from exactly that byte offset in each version.
/// </param>
/// <param name="IsEntry">3.11 <c>is_entry</c> (1 byte): set on the first frame pushed by a call of the evaluation loop. Absent otherwise.</param>
/// <param name="Owner">3.11+ <c>owner</c> (1 byte). Absent in 3.10.</param>
/// <param name="OwnedByCStack">
/// 3.12+ <c>FRAME_OWNED_BY_CSTACK</c>: an <see cref="Owner"/> value marking the shim frame each evaluation loop call
/// pushes first; it is no Python function (skip it) and marks the boundary between two native evaluation loop calls.
/// Absent in 3.10 and 3.11 (3.11 marks the boundary with <see cref="IsEntry"/> instead).
/// </param>
public sealed record FrameOffsets(CPythonFrameKind Kind, int Code, int Previous, int Instruction, int IsEntry, int Owner, int OwnedByCStack);

/// <summary>The line table format of a code object's <see cref="CodeOffsets.LineTable"/>.</summary>
public enum CPythonLineTableFormat
{
    /// <summary>3.10 <c>co_linetable</c>: (byte delta, line delta) pairs, PEP 626.</summary>
    LineTable310,

    /// <summary>3.11+ location table: entries of varint-coded line, column data (Objects/locations.md).</summary>
    LocationTable311,
}

/// <summary>Offsets in <c>PyCodeObject</c>.</summary>
/// <param name="Bytecode">3.11+ <c>co_code_adaptive</c>: where the bytecode starts inside the code object. Absent in 3.10 (f_lasti is already an offset).</param>
/// <param name="Name"><c>co_name</c> (str).</param>
/// <param name="QualifiedName"><c>co_qualname</c> (str, 3.11+); absent in 3.10, where <see cref="Name"/> is the best name there is.</param>
/// <param name="FileName"><c>co_filename</c> (str).</param>
/// <param name="FirstLine"><c>co_firstlineno</c> (int32).</param>
/// <param name="LineTable"><c>co_linetable</c> (bytes), in <see cref="LineTableFormat"/>.</param>
/// <param name="LineTableFormat">How to decode <see cref="LineTable"/>.</param>
public sealed record CodeOffsets(int Bytecode, int Name, int QualifiedName, int FileName, int FirstLine, int LineTable, CPythonLineTableFormat LineTableFormat);

/// <summary>Offsets in the object headers used to check types and read strings and bytes.</summary>
/// <param name="Type"><c>ob_type</c> of every object; compared with the process address of <c>PyCode_Type</c> etc.</param>
/// <param name="BytesSize"><c>ob_size</c> of a bytes object (int64).</param>
/// <param name="BytesData"><c>ob_sval</c>: where a bytes object's data starts.</param>
/// <param name="StringLength"><c>PyASCIIObject.length</c> (int64): code points.</param>
/// <param name="StringState"><c>PyASCIIObject.state</c> (uint32 bit field).</param>
/// <param name="StringKindShift">Bit position of the 3-bit <c>kind</c> (1, 2 or 4 bytes per code point) in the state.</param>
/// <param name="StringCompactBit">Bit position of <c>compact</c> (data follows the header) in the state.</param>
/// <param name="StringAsciiBit">Bit position of <c>ascii</c> in the state.</param>
/// <param name="AsciiData"><c>sizeof(PyASCIIObject)</c>: where a compact ASCII string's data starts.</param>
/// <param name="CompactData"><c>sizeof(PyCompactUnicodeObject)</c>: where a compact non-ASCII string's data starts.</param>
public sealed record ObjectOffsets(
    int Type,
    int BytesSize,
    int BytesData,
    int StringLength,
    int StringState,
    int StringKindShift,
    int StringCompactBit,
    int StringAsciiBit,
    int AsciiData,
    int CompactData);
