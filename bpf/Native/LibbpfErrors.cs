using System.Runtime.InteropServices;

namespace Collector.Bpf.Native;

/// <summary>libbpf's own error texts, which also cover its private codes (LIBBPF_ERRNO__*) beyond strerror's.</summary>
internal static unsafe partial class LibbpfErrors
{
    [LibraryImport(Libraries.Libbpf, EntryPoint = "libbpf_strerror")]
    private static partial int StrError(int error, byte* buffer, nuint size);

    public static string Describe(int errno)
    {
        const int Size = 256;
        var buffer = stackalloc byte[Size];
        // libbpf_strerror fails only for codes it does not know; it still fills in "Unknown libbpf error".
        _ = StrError(Math.Abs(errno), buffer, Size);
        return Marshal.PtrToStringUTF8((nint)buffer) ?? $"errno {errno}";
    }
}
