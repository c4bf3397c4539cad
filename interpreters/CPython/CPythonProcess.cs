namespace Collector.Interpreters.CPython;

/// <summary>
/// CPython found in a process: its layout and where its symbols are in the process's address space. What the
/// ebpf_profiling receiver loads into BPF for the process, and what the code object reader checks types against.
/// </summary>
/// <param name="Layout">The offsets of the running version (3.13+: from the process's own debug offsets).</param>
/// <param name="ElfPath">The file defining CPython (the executable, or <c>libpython3.X.so</c>) as the maps name it.</param>
/// <param name="Runtime">Process address of <c>_PyRuntime</c>.</param>
/// <param name="EvalFrameStart">Process address of <c>_PyEval_EvalFrameDefault</c>: native frames in [start, end) are the evaluation loop.</param>
/// <param name="EvalFrameEnd">End of <c>_PyEval_EvalFrameDefault</c> (start + its .dynsym size).</param>
/// <param name="CodeType">Process address of <c>PyCode_Type</c>: the <c>ob_type</c> of every code object.</param>
/// <param name="StringType">Process address of <c>PyUnicode_Type</c>: the <c>ob_type</c> of the names read from a code object.</param>
/// <param name="BytesType">Process address of <c>PyBytes_Type</c>: the <c>ob_type</c> of a code object's line table.</param>
public sealed record CPythonProcess(
    CPythonLayout Layout,
    string ElfPath,
    ulong Runtime,
    ulong EvalFrameStart,
    ulong EvalFrameEnd,
    ulong CodeType,
    ulong StringType,
    ulong BytesType);

/// <summary>The outcome of <see cref="CPythonDetector.Detect"/>: a <see cref="CPythonProcess"/>, or the reason there is none.</summary>
public readonly record struct CPythonDetection(CPythonProcess? Process, CPythonDetectionFailure Failure)
{
    public bool Found => Process is not null;

    public static CPythonDetection Of(CPythonProcess process) => new(process, default);

    public static CPythonDetection Failed(CPythonDetectionFailure failure) => new(null, failure);
}
