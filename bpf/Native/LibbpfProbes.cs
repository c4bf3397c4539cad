using System.Runtime.InteropServices;

namespace Collector.Bpf.Native;

/// <summary>Kernel feature probes: libbpf creates a throw-away map of the type and reports whether that worked.</summary>
internal static partial class LibbpfProbes
{
    /// <summary><c>BPF_MAP_TYPE_RINGBUF</c> from <c>enum bpf_map_type</c> (Linux 5.8).</summary>
    public const int MapTypeRingBuffer = 27;

    /// <summary>1 when supported, 0 when not, a negative errno when the probe itself failed (EPERM without CAP_BPF).</summary>
    [LibraryImport(Libraries.Libbpf, EntryPoint = "libbpf_probe_bpf_map_type")]
    public static partial int ProbeMapType(int mapType, nint options);
}
