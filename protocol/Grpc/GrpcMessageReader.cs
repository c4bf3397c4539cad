using System.Buffers.Binary;
using System.Globalization;

namespace Collector.Protocol.Grpc;

/// <summary>
/// Reads length-prefixed messages from a request or response body. Every failure is a
/// <see cref="GrpcStatusException"/> with the status the gRPC spec (and grpc-go) gives it, so a server can answer
/// with it and a client can report it:
/// <list type="bullet">
/// <item>a length above the limit, before or after decompression: RESOURCE_EXHAUSTED (the body is not read);</item>
/// <item>a frame cut short, a flag other than 0 or 1, a compressed frame without <c>grpc-encoding</c>, corrupt
/// gzip: INTERNAL;</item>
/// <item>a compressed frame in an encoding we do not have: UNIMPLEMENTED.</item>
/// </list>
/// </summary>
public static class GrpcMessageReader
{
    /// <summary>
    /// The one message of a unary call: exactly one frame, then the end of the stream. The returned buffer holds
    /// the (decompressed) message and must be disposed.
    /// </summary>
    public static async ValueTask<PooledBuffer> ReadSingleAsync(Stream body, string? encoding, int maxMessageSize, CancellationToken cancellationToken)
    {
        var message = await ReadNextAsync(body, encoding, maxMessageSize, cancellationToken).ConfigureAwait(false)
            ?? throw new GrpcStatusException(GrpcStatusCode.Internal, "the stream ended without a message; a unary call carries exactly one");
        try
        {
            var probe = new byte[1];
            if (await body.ReadAsync(probe, cancellationToken).ConfigureAwait(false) != 0)
            {
                throw new GrpcStatusException(GrpcStatusCode.Internal, "more than one message for a unary call");
            }
            return message;
        }
        catch
        {
            message.Dispose();
            throw;
        }
    }

    /// <summary>The next message, or null when the stream ends cleanly between frames.</summary>
    public static async ValueTask<PooledBuffer?> ReadNextAsync(Stream body, string? encoding, int maxMessageSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        var header = new byte[GrpcFrame.HeaderSize];
        var headerRead = await body.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (headerRead == 0) return null;
        if (headerRead < header.Length)
        {
            throw new GrpcStatusException(GrpcStatusCode.Internal, $"truncated message: the stream ended {headerRead} bytes into the 5-byte prefix");
        }
        var flag = header[0];
        var length = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(1));
        if (flag > 1)
        {
            throw new GrpcStatusException(GrpcStatusCode.Internal, $"invalid compressed flag {flag.ToString(CultureInfo.InvariantCulture)}; it must be 0 or 1");
        }
        var compressed = flag == 1;
        var compression = GrpcCompression.Identity;
        if (compressed)
        {
            if (!GrpcCompressions.TryParse(encoding, out compression))
            {
                throw new GrpcStatusException(GrpcStatusCode.Unimplemented,
                    $"message compressed with grpc-encoding \"{encoding}\", which is not supported (supported: {GrpcCompressions.AcceptEncoding})");
            }
            if (compression == GrpcCompression.Identity)
            {
                throw new GrpcStatusException(GrpcStatusCode.Internal, "message flagged as compressed but grpc-encoding names no compression");
            }
        }
        if (length > (uint)maxMessageSize)
        {
            throw new GrpcStatusException(GrpcStatusCode.ResourceExhausted,
                $"received message larger than max ({length.ToString(CultureInfo.InvariantCulture)} vs. {maxMessageSize.ToString(CultureInfo.InvariantCulture)})");
        }
        var payload = new PooledBuffer((int)length);
        try
        {
            var read = await body.ReadAtLeastAsync(payload.Array.AsMemory(0, (int)length), (int)length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            if (read < length)
            {
                throw new GrpcStatusException(GrpcStatusCode.Internal,
                    $"truncated message: the prefix announced {length.ToString(CultureInfo.InvariantCulture)} bytes, the stream ended after {read.ToString(CultureInfo.InvariantCulture)}");
            }
            payload.Length = (int)length;
        }
        catch
        {
            payload.Dispose();
            throw;
        }
        if (!compressed) return payload;
        using (payload)
        {
            try
            {
                return await BoundedRead.GunzipAsync(payload.Memory, maxMessageSize, "decompressed message", cancellationToken).ConfigureAwait(false);
            }
            catch (PayloadTooLargeException error)
            {
                throw new GrpcStatusException(GrpcStatusCode.ResourceExhausted,
                    $"received message after decompression larger than max ({maxMessageSize.ToString(CultureInfo.InvariantCulture)} bytes)", error);
            }
            catch (InvalidDataException error)
            {
                throw new GrpcStatusException(GrpcStatusCode.Internal, "failed to decompress the message: " + error.Message, error);
            }
        }
    }
}
