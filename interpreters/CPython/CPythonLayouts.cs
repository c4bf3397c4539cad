namespace Collector.Interpreters.CPython;

/// <summary>
/// The layouts of the supported CPython versions, from the public headers of each release (x86-64, release, GIL build;
/// the values are offsetof() of the fields named in <see cref="CPythonLayout"/>, and a test recompiles them from the
/// headers of every interpreter on the machine). 3.13 and later publish their own offsets in <c>_Py_DebugOffsets</c>
/// at the start of <c>_PyRuntime</c>; <see cref="DebugOffsets"/> reads those, and the 3.13 entry here is only the
/// cross-check and the fallback for tests.
/// </summary>
public static class CPythonLayouts
{
    private const int Absent = CPythonLayout.Absent;

    // Strings: 3.10 and 3.11 still carry the wstr pointer (and wstr_length) in the headers; 3.12 dropped them.
    private static readonly ObjectOffsets ObjectsWithWstr = new(Type: 8, BytesSize: 16, BytesData: 32, StringLength: 16, StringState: 32,
        StringKindShift: 2, StringCompactBit: 5, StringAsciiBit: 6, AsciiData: 48, CompactData: 72);
    private static readonly ObjectOffsets ObjectsWithoutWstr = ObjectsWithWstr with { AsciiData = 40, CompactData = 56 };

    public static CPythonLayout Python310 { get; } = new(
        new CPythonVersion(3, 10),
        new RuntimeOffsets(InterpretersHead: 32, GilHolderThread: 568),
        new InterpreterOffsets(ThreadsHead: 8),
        new ThreadOffsets(Next: 8, PthreadId: 176, NativeThreadId: Absent, CFrame: Absent, CFrameCurrentFrame: Absent, CurrentFrame: 24),
        new FrameOffsets(CPythonFrameKind.FrameObject, Code: 32, Previous: 24, Instruction: 96, IsEntry: Absent, Owner: Absent, OwnedByCStack: Absent),
        new CodeOffsets(Bytecode: Absent, Name: 112, QualifiedName: Absent, FileName: 104, FirstLine: 40, LineTable: 120, CPythonLineTableFormat.LineTable310),
        ObjectsWithWstr);

    public static CPythonLayout Python311 { get; } = new(
        new CPythonVersion(3, 11),
        new RuntimeOffsets(InterpretersHead: 40, GilHolderThread: 576),
        new InterpreterOffsets(ThreadsHead: 16),
        new ThreadOffsets(Next: 8, PthreadId: 152, NativeThreadId: 160, CFrame: 56, CFrameCurrentFrame: 8, CurrentFrame: Absent),
        new FrameOffsets(CPythonFrameKind.InterpreterFrame, Code: 32, Previous: 48, Instruction: 56, IsEntry: 68, Owner: 69, OwnedByCStack: Absent),
        new CodeOffsets(Bytecode: 184, Name: 120, QualifiedName: 128, FileName: 112, FirstLine: 72, LineTable: 136, CPythonLineTableFormat.LocationTable311),
        ObjectsWithWstr);

    public static CPythonLayout Python312 { get; } = new(
        new CPythonVersion(3, 12),
        new RuntimeOffsets(InterpretersHead: 40, GilHolderThread: Absent),
        new InterpreterOffsets(ThreadsHead: 72),
        new ThreadOffsets(Next: 8, PthreadId: 136, NativeThreadId: 144, CFrame: 56, CFrameCurrentFrame: 0, CurrentFrame: Absent),
        new FrameOffsets(CPythonFrameKind.InterpreterFrame, Code: 0, Previous: 8, Instruction: 56, IsEntry: Absent, Owner: 70, OwnedByCStack: 3),
        new CodeOffsets(Bytecode: 192, Name: 120, QualifiedName: 128, FileName: 112, FirstLine: 68, LineTable: 136, CPythonLineTableFormat.LocationTable311),
        ObjectsWithoutWstr);

    /// <summary>3.13 as its headers give it. At run time the process's own <c>_Py_DebugOffsets</c> are used (<see cref="DebugOffsets"/>).</summary>
    public static CPythonLayout Python313 { get; } = new(
        new CPythonVersion(3, 13),
        new RuntimeOffsets(InterpretersHead: 632, GilHolderThread: Absent),
        new InterpreterOffsets(ThreadsHead: 7344),
        new ThreadOffsets(Next: 8, PthreadId: 152, NativeThreadId: 160, CFrame: Absent, CFrameCurrentFrame: Absent, CurrentFrame: 72),
        new FrameOffsets(CPythonFrameKind.InterpreterFrame, Code: 0, Previous: 8, Instruction: 56, IsEntry: Absent, Owner: 70, OwnedByCStack: 3),
        new CodeOffsets(Bytecode: 200, Name: 120, QualifiedName: 128, FileName: 112, FirstLine: 68, LineTable: 136, CPythonLineTableFormat.LocationTable311),
        ObjectsWithoutWstr);

    /// <summary>The hard-coded layout of <paramref name="version"/>'s minor release, or null when it is not one we know (3.10–3.12; 3.13 as cross-check).</summary>
    public static CPythonLayout? ForVersion(CPythonVersion version) => version switch
    {
        { Major: 3, Minor: 10 } => Python310,
        { Major: 3, Minor: 11 } => Python311,
        { Major: 3, Minor: 12 } => Python312,
        { Major: 3, Minor: 13 } => Python313,
        _ => null,
    };
}
