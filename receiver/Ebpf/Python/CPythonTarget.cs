using Collector.Bpf;
using Collector.Core.Model;

namespace Collector.Receivers.Ebpf.Python;

/// <summary>What the kernel needs to walk one CPython process's frames, and where its evaluation loop lies.</summary>
/// <param name="Runtime">Address of <c>_PyRuntime</c> in the process.</param>
/// <param name="CodeType">Address of <c>PyCode_Type</c> in the process (0: frames are not type-checked).</param>
/// <param name="EvalLoop">Where <c>_PyEval_EvalFrameDefault</c> lies in the process.</param>
/// <param name="Layout">The offsets of its version.</param>
/// <param name="Version">The version, for logs.</param>
internal sealed record CPythonTarget(ulong Runtime, ulong CodeType, CodeRange EvalLoop, PythonWalkLayout Layout, string Version);
