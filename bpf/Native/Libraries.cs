namespace Collector.Bpf.Native;

/// <summary>The shared libraries the interop binds to; the soname, so the distribution's runtime package suffices.</summary>
internal static class Libraries
{
    /// <summary>libbpf 1.x (Debian 12: libbpf1). Its API returns NULL or a negative errno and sets errno.</summary>
    public const string Libbpf = "libbpf.so.1";

    public const string Libc = "libc";
}
