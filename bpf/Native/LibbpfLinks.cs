using System.Runtime.InteropServices;

namespace Collector.Bpf.Native;

/// <summary>Attaching programs (each attachment is a <c>struct bpf_link</c>) and detaching them.</summary>
internal static partial class LibbpfLinks
{
    /// <summary>On success the link owns <paramref name="perfEventFd"/>: destroying the link disables and closes it.</summary>
    [LibraryImport(Libraries.Libbpf, EntryPoint = "bpf_program__attach_perf_event", SetLastError = true)]
    public static partial nint AttachPerfEvent(nint program, int perfEventFd);

    /// <summary>Attaches a tracing program (here BTF-typed tracepoints, <c>tp_btf/...</c>) to the target named in its section.</summary>
    [LibraryImport(Libraries.Libbpf, EntryPoint = "bpf_program__attach_trace", SetLastError = true)]
    public static partial nint AttachTrace(nint program);

    [LibraryImport(Libraries.Libbpf, EntryPoint = "bpf_link__destroy")]
    public static partial int Destroy(nint link);
}
