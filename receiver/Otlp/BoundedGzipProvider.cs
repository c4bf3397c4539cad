using System.IO.Compression;
using Collector.Protocol.Grpc;
using Grpc.Core;
using Grpc.Net.Compression;

namespace Collector.Receivers.Otlp;

/// <summary>
/// gzip for Grpc.AspNetCore, with the receiver's limit applied after decompression. The library checks
/// <c>max_recv_msg_size_mib</c> against the compressed frame only and inflates whatever it holds, so a 1 MiB
/// gzip bomb would become a gigabyte; this provider stops at the limit (RESOURCE_EXHAUSTED) and refuses corrupt or
/// truncated data (INTERNAL), with the same bounded reader the HTTP transport uses.
/// </summary>
internal sealed class BoundedGzipProvider(int maxMessageBytes) : ICompressionProvider
{
    public string EncodingName => "gzip";

    public Stream CreateCompressionStream(Stream stream, CompressionLevel? compressionLevel) =>
        new GZipStream(stream, compressionLevel ?? CompressionLevel.Fastest, leaveOpen: true);

    /// <summary>Grpc.AspNetCore hands over the whole compressed message, in memory, and copies the result synchronously.</summary>
    public Stream CreateDecompressionStream(Stream stream)
    {
        var compressed = new byte[stream.Length];
        stream.ReadExactly(compressed);
        try
        {
            // Every stream here is in memory, so the asynchronous read completes at once.
            using var inflated = BoundedRead.GunzipAsync(compressed, maxMessageBytes, "the message after decompression", CancellationToken.None).AsTask().GetAwaiter().GetResult();
            return new MemoryStream(inflated.Span.ToArray(), writable: false);
        }
        catch (PayloadTooLargeException error)
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted, error.Message));
        }
        catch (InvalidDataException error)
        {
            throw new RpcException(new Status(StatusCode.Internal, "corrupt gzip data: " + error.Message));
        }
    }
}
