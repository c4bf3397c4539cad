using System.IO.Compression;

namespace Collector.Protocol.Grpc;

/// <summary>
/// Reads a stream to its end into a pooled buffer, never holding more than a limit. Untrusted bodies and
/// decompressed data go through here: a gzip bomb stops at the limit instead of filling memory.
/// </summary>
public static class BoundedRead
{
    private const int InitialCapacity = 16 * 1024;

    /// <summary>
    /// Every byte up to the end of <paramref name="source"/>; throws <see cref="PayloadTooLargeException"/> as
    /// soon as more than <paramref name="limit"/> bytes arrive. <paramref name="sizeHint"/> (a Content-Length)
    /// only sizes the first buffer, and is itself capped by the limit.
    /// </summary>
    public static async ValueTask<PooledBuffer> ToEndAsync(Stream source, int limit, long? sizeHint, string what, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        // One byte beyond the limit tells "exactly the limit" from "too much" without reading further.
        var capacity = (int)Math.Min(Math.Max(sizeHint ?? InitialCapacity, 1), (long)limit + 1);
        var buffer = new PooledBuffer(capacity);
        try
        {
            while (true)
            {
                if (buffer.Length == buffer.Capacity)
                {
                    if (buffer.Length > limit) throw TooLarge(what, limit);
                    buffer.Grow((int)Math.Min((long)buffer.Capacity * 2, (long)limit + 1));
                }
                var room = Math.Min(buffer.Capacity, limit + 1) - buffer.Length;
                var read = await source.ReadAsync(buffer.Array.AsMemory(buffer.Length, room), cancellationToken).ConfigureAwait(false);
                if (read == 0) return buffer;
                buffer.Length += read;
                if (buffer.Length > limit) throw TooLarge(what, limit);
            }
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Decompresses single-member gzip data, up to <paramref name="limit"/> decompressed bytes. Corrupt or
    /// truncated data throws <see cref="InvalidDataException"/> (see <see cref="GzipTrailer"/>).
    /// </summary>
    public static async ValueTask<PooledBuffer> GunzipAsync(ReadOnlyMemory<byte> compressed, int limit, string what, CancellationToken cancellationToken)
    {
        using var source = new ReadOnlyMemoryStream(compressed);
        PooledBuffer result;
        await using (var gzip = new GZipStream(source, CompressionMode.Decompress))
        {
            result = await ToEndAsync(gzip, limit, compressed.Length * 4L, what, cancellationToken).ConfigureAwait(false);
        }
        if (!GzipTrailer.LengthMatches(compressed.Span, result.Length))
        {
            result.Dispose();
            throw new InvalidDataException($"{what}: the gzip data is truncated (it ends before its trailer)");
        }
        return result;
    }

    private static PayloadTooLargeException TooLarge(string what, int limit) =>
        new($"{what} is larger than the limit of {limit} bytes", limit);

    /// <summary>A read-only stream over memory, so compressed bytes need not be copied into a MemoryStream.</summary>
    private sealed class ReadOnlyMemoryStream(ReadOnlyMemory<byte> memory) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => memory.Length;

        public override long Position
        {
            get => _position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var count = Math.Min(buffer.Length, memory.Length - _position);
            memory.Span.Slice(_position, count).CopyTo(buffer);
            _position += count;
            return count;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer.AsSpan(offset, count)));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
