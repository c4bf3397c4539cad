using System.Runtime.InteropServices;

namespace Collector.Bpf.Native;

/// <summary>Maps made at run time (the unwind tables' inner arrays), filled in one call, and closing their descriptors.</summary>
internal static unsafe partial class LibbpfMapCreation
{
    /// <summary><c>BPF_MAP_TYPE_ARRAY</c>.</summary>
    public const int MapTypeArray = 2;

    /// <summary><c>BPF_F_INNER_MAP</c>: an inner map whose size may differ from the outer map's template.</summary>
    public const uint FlagInnerMap = 1u << 12;

    /// <summary><c>struct bpf_map_create_opts</c> of libbpf 1.x.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct CreateOptions
    {
        public nuint Size;
        public uint BtfFd;
        public uint BtfKeyTypeId;
        public uint BtfValueTypeId;
        public uint BtfVmlinuxValueTypeId;
        public uint InnerMapFd;
        public uint MapFlags;
        public ulong MapExtra;
        public uint NumaNode;
        public uint MapIfindex;
    }

    /// <summary>A new map's descriptor, or a negative errno.</summary>
    [LibraryImport(Libraries.Libbpf, EntryPoint = "bpf_map_create", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Create(int mapType, string name, uint keySize, uint valueSize, uint maxEntries, CreateOptions* options);

    /// <summary>Writes <paramref name="count"/> elements; on return <paramref name="count"/> holds how many were written.</summary>
    [LibraryImport(Libraries.Libbpf, EntryPoint = "bpf_map_update_batch")]
    public static partial int UpdateBatch(int mapFd, void* keys, void* values, uint* count, nint options);

    [LibraryImport(Libraries.Libbpf, EntryPoint = "bpf_map_delete_elem")]
    public static partial int Delete(int mapFd, void* key);

    [LibraryImport(Libraries.Libc, EntryPoint = "close")]
    public static partial int Close(int fd);
}
