using System.Runtime.InteropServices;

namespace Collector.Bpf.Native;

/// <summary>libbpf's process-wide print hook, and the libc formatter that expands its printf-style messages.</summary>
internal static unsafe partial class LibbpfLogging
{
    /// <summary><c>enum libbpf_print_level</c>.</summary>
    public const int Warn = 0;
    public const int Info = 1;
    public const int Debug = 2;

    /// <summary>
    /// Installs <c>int (*)(enum libbpf_print_level, const char *format, va_list args)</c>. On x86-64 and arm64 a
    /// <c>va_list</c> parameter arrives as a pointer, which is passed on to <see cref="FormatV"/> untouched.
    /// </summary>
    [LibraryImport(Libraries.Libbpf, EntryPoint = "libbpf_set_print")]
    public static partial nint SetPrint(delegate* unmanaged<int, nint, nint, int> print);

    [LibraryImport(Libraries.Libc, EntryPoint = "vsnprintf")]
    public static partial int FormatV(byte* buffer, nuint size, nint format, nint args);
}
