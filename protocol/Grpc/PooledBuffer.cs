using System.Buffers;

namespace Collector.Protocol.Grpc;

/// <summary>
/// Bytes in a pooled array; dispose returns it. Request bodies pass through these so a busy receiver reuses a
/// few large arrays instead of allocating one per request.
/// </summary>
public sealed class PooledBuffer : IDisposable
{
    // A pool of our own rather than ArrayPool.Shared, whose per-thread caches would keep a multi-megabyte
    // array for every thread that ever held a body. Without thread caches, what the pool keeps is bounded by
    // how many buffers of a size were in use at once (at most MaxArraysPerBucket each). Larger arrays are not
    // pooled at all.
    private const int MaxPooledLength = 64 * 1024 * 1024;
    private const int MaxArraysPerBucket = 16;
    private static readonly ArrayPool<byte> Pool = ArrayPool<byte>.Create(MaxPooledLength, MaxArraysPerBucket);

    private byte[]? _array;

    internal PooledBuffer(int capacity)
    {
        _array = Pool.Rent(Math.Max(capacity, 1));
    }

    public int Length { get; internal set; }

    public ReadOnlyMemory<byte> Memory => Array.AsMemory(0, Length);

    public ReadOnlySpan<byte> Span => Array.AsSpan(0, Length);

    internal byte[] Array => _array ?? throw new ObjectDisposedException(nameof(PooledBuffer));

    internal int Capacity => Array.Length;

    /// <summary>Replaces the array with a larger one, keeping the bytes written so far.</summary>
    internal void Grow(int capacity)
    {
        var larger = Pool.Rent(capacity);
        Array.AsSpan(0, Length).CopyTo(larger);
        Pool.Return(Array);
        _array = larger;
    }

    public void Dispose()
    {
        var array = Interlocked.Exchange(ref _array, null);
        if (array is not null) Pool.Return(array);
    }
}
