using System.Buffers.Binary;
using System.IO.Compression;

namespace Collector.Protocol.Grpc;

/// <summary>
/// The gRPC length-prefixed message: one byte compressed flag (0 or 1), four bytes big-endian length, then
/// the message bytes.
/// </summary>
public static class GrpcFrame
{
    public const int HeaderSize = 5;

    public static void WriteHeader(Span<byte> destination, bool compressed, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        destination[0] = compressed ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt32BigEndian(destination[1..], (uint)length);
    }

    /// <summary>
    /// One complete frame. With <see cref="GrpcCompression.Gzip"/> the message is compressed and flagged (unless
    /// it is empty); the sender must then also send <c>grpc-encoding: gzip</c>.
    /// </summary>
    public static byte[] Encode(ReadOnlySpan<byte> message, GrpcCompression compression)
    {
        // GZipStream writes nothing at all for empty input, which no peer can inflate; the flag is per
        // message, so an empty one simply goes uncompressed.
        if (compression == GrpcCompression.Identity || message.IsEmpty)
        {
            var frame = new byte[HeaderSize + message.Length];
            WriteHeader(frame, compressed: false, message.Length);
            message.CopyTo(frame.AsSpan(HeaderSize));
            return frame;
        }
        using var output = new MemoryStream(HeaderSize + message.Length / 2 + 64);
        output.Write(stackalloc byte[HeaderSize]);
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(message);
        }
        var bytes = output.GetBuffer();
        var length = (int)output.Length;
        WriteHeader(bytes, compressed: true, length - HeaderSize);
        return length == bytes.Length ? bytes : bytes.AsSpan(0, length).ToArray();
    }

    /// <summary>Writes one uncompressed frame to a stream (a response body).</summary>
    public static async ValueTask WriteAsync(Stream destination, ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var header = new byte[HeaderSize];
        WriteHeader(header, compressed: false, message.Length);
        await destination.WriteAsync(header, cancellationToken).ConfigureAwait(false);
        await destination.WriteAsync(message, cancellationToken).ConfigureAwait(false);
    }
}
