namespace Collector.Receivers.Ebpf;

/// <summary>The <c>python</c> section of <c>ebpf_profiling</c>.</summary>
public sealed class PythonOptions
{
    /// <summary>
    /// Walk the frame chain of CPython processes in the kernel at each sample and put their Python frames where the
    /// interpreter's evaluation loop is in the native stack. Off: those processes show native frames only.
    /// </summary>
    public bool Enabled { get; set; } = true;
}
