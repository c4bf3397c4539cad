using System.Runtime.InteropServices;

namespace Collector.Bpf.Native;

/// <summary>Opening, loading and closing a BPF object, and finding its programs and maps.</summary>
internal static unsafe partial class LibbpfObjects
{
    /// <summary>The leading fields of <c>struct bpf_object_open_opts</c>; libbpf reads only <c>sz</c> bytes of it.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct OpenOptions
    {
        public nuint Size;
        public byte* ObjectName;
    }

    [LibraryImport(Libraries.Libbpf, EntryPoint = "bpf_object__open_mem", SetLastError = true)]
    public static partial nint OpenMem(void* buffer, nuint size, OpenOptions* options);

    [LibraryImport(Libraries.Libbpf, EntryPoint = "bpf_object__load")]
    public static partial int Load(BpfObjectHandle obj);

    [LibraryImport(Libraries.Libbpf, EntryPoint = "bpf_object__close")]
    public static partial void Close(nint obj);

    [LibraryImport(Libraries.Libbpf, EntryPoint = "bpf_object__find_program_by_name", StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint FindProgram(BpfObjectHandle obj, string name);

    [LibraryImport(Libraries.Libbpf, EntryPoint = "bpf_object__find_map_by_name", StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint FindMap(BpfObjectHandle obj, string name);

    [LibraryImport(Libraries.Libbpf, EntryPoint = "bpf_map__fd")]
    public static partial int MapFd(nint map);

    /// <summary>Whether <see cref="Load"/> loads the program; one the kernel could not verify is left out this way.</summary>
    [LibraryImport(Libraries.Libbpf, EntryPoint = "bpf_program__set_autoload")]
    public static partial int SetAutoload(nint program, [MarshalAs(UnmanagedType.U1)] bool autoload);

    [LibraryImport(Libraries.Libbpf, EntryPoint = "bpf_map__set_max_entries")]
    public static partial int SetMaxEntries(nint map, uint maxEntries);
}
