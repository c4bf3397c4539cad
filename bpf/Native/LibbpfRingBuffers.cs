using System.Runtime.InteropServices;

namespace Collector.Bpf.Native;

/// <summary>The consumer side of a BPF ring buffer map.</summary>
internal static unsafe partial class LibbpfRingBuffers
{
    /// <summary>
    /// <paramref name="sampleCallback"/> is <c>int (*)(void *ctx, void *data, size_t size)</c>; a non-zero return
    /// stops consumption and becomes the return value of <see cref="Consume"/>.
    /// </summary>
    [LibraryImport(Libraries.Libbpf, EntryPoint = "ring_buffer__new", SetLastError = true)]
    public static partial nint New(int mapFd, delegate* unmanaged<nint, nint, nuint, int> sampleCallback, nint context, nint options);

    /// <summary>Hands every committed record to the callback without waiting; returns how many, or a negative errno.</summary>
    [LibraryImport(Libraries.Libbpf, EntryPoint = "ring_buffer__consume")]
    public static partial int Consume(RingBufferHandle ringBuffer);

    /// <summary>Waits up to <paramref name="timeoutMs"/> for a wake-up, then consumes like <see cref="Consume"/>.</summary>
    [LibraryImport(Libraries.Libbpf, EntryPoint = "ring_buffer__poll")]
    public static partial int Poll(RingBufferHandle ringBuffer, int timeoutMs);

    [LibraryImport(Libraries.Libbpf, EntryPoint = "ring_buffer__free")]
    public static partial void Free(nint ringBuffer);
}
