using System.Buffers;

namespace Collector.Core.Grpc;

/// <summary>
/// Bytes in an array rented from the shared pool; dispose returns it. Request bodies pass through these so a
/// busy receiver reuses a few large arrays instead of allocating one per request.
/// </summary>
public sealed class PooledBuffer : IDisposable
{
    private byte[]? _array;

    internal PooledBuffer(int capacity)
    {
        _array = ArrayPool<byte>.Shared.Rent(Math.Max(capacity, 1));
    }

    public int Length { get; internal set; }

    public ReadOnlyMemory<byte> Memory => Array.AsMemory(0, Length);

    public ReadOnlySpan<byte> Span => Array.AsSpan(0, Length);

    internal byte[] Array => _array ?? throw new ObjectDisposedException(nameof(PooledBuffer));

    internal int Capacity => Array.Length;

    /// <summary>Replaces the array with a larger one, keeping the bytes written so far.</summary>
    internal void Grow(int capacity)
    {
        var larger = ArrayPool<byte>.Shared.Rent(capacity);
        Array.AsSpan(0, Length).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(Array);
        _array = larger;
    }

    public void Dispose()
    {
        var array = Interlocked.Exchange(ref _array, null);
        if (array is not null) ArrayPool<byte>.Shared.Return(array);
    }
}
