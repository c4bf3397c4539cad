using System.IO.Compression;
using Collector.Exporters.Sending;
using Grpc.Net.Compression;

namespace Collector.Exporters.Otlp;

/// <summary>
/// gzip for Grpc.Net.Client (its own provider, at the fastest level as before), counting the compressed bytes
/// and the frame header each request puts on the wire, since the channel does not tell its callers.
/// </summary>
internal sealed class CountingGzipProvider(ExporterCounters counters) : ICompressionProvider
{
    private const int FrameHeaderSize = 5;

    public string EncodingName => "gzip";

    public Stream CreateCompressionStream(Stream stream, CompressionLevel? compressionLevel)
    {
        counters.BytesSent(FrameHeaderSize);
        return new GZipStream(new CountingStream(stream, counters), compressionLevel ?? CompressionLevel.Fastest, leaveOpen: false);
    }

    public Stream CreateDecompressionStream(Stream stream) => new GZipStream(stream, CompressionMode.Decompress, leaveOpen: true);

    /// <summary>Passes writes through to the frame's stream, adding their length; closing it leaves that stream open.</summary>
    private sealed class CountingStream(Stream inner, ExporterCounters counters) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            counters.BytesSent(buffer.Length);
            inner.Write(buffer);
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            counters.BytesSent(buffer.Length);
            return inner.WriteAsync(buffer, cancellationToken);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
