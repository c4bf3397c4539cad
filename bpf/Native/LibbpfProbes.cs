using System.Runtime.InteropServices;

namespace Collector.Bpf.Native;

/// <summary>Kernel feature probes: libbpf creates a throw-away map of the type and reports whether that worked.</summary>
internal static partial class LibbpfProbes
{
    /// <summary><c>BPF_MAP_TYPE_RINGBUF</c> from <c>enum bpf_map_type</c> (Linux 5.8).</summary>
    public const int MapTypeRingBuffer = 27;

    /// <summary><c>BPF_PROG_TYPE_PERF_EVENT</c>.</summary>
    public const int ProgramTypePerfEvent = 7;

    /// <summary>Helper ids from <c>enum bpf_func_id</c> the unwinder needs, with the Linux version that added each.</summary>
    public const int HelperGetCurrentTaskBtf = 158; // 5.11
    public const int HelperTaskPtRegs = 175;        // 5.15
    public const int HelperLoop = 181;              // 5.17

    /// <summary>1 when programs of the type may call the helper, 0 when not, a negative errno when the probe failed.</summary>
    [LibraryImport(Libraries.Libbpf, EntryPoint = "libbpf_probe_bpf_helper")]
    public static partial int ProbeHelper(int programType, int helper, nint options);

    /// <summary>1 when supported, 0 when not, a negative errno when the probe itself failed (EPERM without CAP_BPF).</summary>
    [LibraryImport(Libraries.Libbpf, EntryPoint = "libbpf_probe_bpf_map_type")]
    public static partial int ProbeMapType(int mapType, nint options);
}
