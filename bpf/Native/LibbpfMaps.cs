using System.Runtime.InteropServices;

namespace Collector.Bpf.Native;

/// <summary>Reading and writing map elements through the map's file descriptor (libbpf's thin bpf(2) wrappers).</summary>
internal static unsafe partial class LibbpfMaps
{
    /// <summary>BPF_ANY: create the element or overwrite it.</summary>
    public const ulong UpdateAny = 0;

    [LibraryImport(Libraries.Libbpf, EntryPoint = "bpf_map_update_elem")]
    public static partial int Update(int mapFd, void* key, void* value, ulong flags);

    /// <summary>For per-CPU maps <paramref name="value"/> receives one 8-byte-aligned value per possible CPU.</summary>
    [LibraryImport(Libraries.Libbpf, EntryPoint = "bpf_map_lookup_elem")]
    public static partial int Lookup(int mapFd, void* key, void* value);

    /// <summary>Possible (not online) CPUs: the number of slots of a per-CPU map value.</summary>
    [LibraryImport(Libraries.Libbpf, EntryPoint = "libbpf_num_possible_cpus")]
    public static partial int NumPossibleCpus();
}
