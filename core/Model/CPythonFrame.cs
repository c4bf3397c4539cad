namespace Collector.Core.Model;

/// <summary>
/// One frame of a CPython thread's frame chain as read at sample time: the code object it runs (its address in the
/// process), the byte offset of the executing instruction in that code's bytecode, and whether it is the outermost
/// frame its native <c>_PyEval_EvalFrameDefault</c> call runs (from 3.11 one call runs a Python caller and the Python
/// functions it calls; in 3.10 every frame is its own call).
/// </summary>
public readonly record struct CPythonFrame(ulong CodeAddress, uint InstructionOffset, bool IsEntry);
