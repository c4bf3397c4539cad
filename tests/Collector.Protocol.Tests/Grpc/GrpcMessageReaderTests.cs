using System.Buffers.Binary;
using System.IO.Compression;
using Collector.Protocol.Grpc;

namespace Collector.Protocol.Tests.Grpc;

public class GrpcMessageReaderTests
{
    private const int Max = 4 * 1024 * 1024;

    [Theory]
    [InlineData(GrpcCompression.Identity, 0)]
    [InlineData(GrpcCompression.Identity, 1)]
    [InlineData(GrpcCompression.Identity, 100_000)]
    [InlineData(GrpcCompression.Gzip, 0)]
    [InlineData(GrpcCompression.Gzip, 100_000)]
    public async Task A_frame_reads_back_as_the_message_it_was_made_of(GrpcCompression compression, int size)
    {
        var message = Pattern(size);
        var frame = GrpcFrame.Encode(message, compression);

        Assert.Equal(compression == GrpcCompression.Gzip && size > 0 ? 1 : 0, frame[0]);
        using var read = await GrpcMessageReader.ReadSingleAsync(new MemoryStream(frame), compression.HeaderValue(), Max, default);
        Assert.Equal(message, read.Span.ToArray());
    }

    [Fact]
    public void The_prefix_is_the_flag_and_a_big_endian_length()
    {
        var frame = GrpcFrame.Encode([7, 8, 9], GrpcCompression.Identity);

        Assert.Equal(new byte[] { 0, 0, 0, 0, 3, 7, 8, 9 }, frame);
    }

    [Fact]
    public async Task Messages_arriving_one_byte_at_a_time_are_put_back_together()
    {
        var first = Pattern(300);
        var second = Pattern(70_000);
        var body = new TrickleStream([.. GrpcFrame.Encode(first, GrpcCompression.Identity), .. GrpcFrame.Encode(second, GrpcCompression.Gzip)]);

        using var one = await GrpcMessageReader.ReadNextAsync(body, "gzip", Max, default);
        using var two = await GrpcMessageReader.ReadNextAsync(body, "gzip", Max, default);
        var end = await GrpcMessageReader.ReadNextAsync(body, "gzip", Max, default);

        Assert.Equal(first, one!.Span.ToArray());
        Assert.Equal(second, two!.Span.ToArray());
        Assert.Null(end);
    }

    [Fact]
    public async Task A_message_of_exactly_the_limit_is_accepted()
    {
        using var read = await GrpcMessageReader.ReadSingleAsync(new MemoryStream(GrpcFrame.Encode(Pattern(1000), GrpcCompression.Identity)), null, 1000, default);

        Assert.Equal(1000, read.Length);
    }

    [Fact]
    public async Task An_oversized_length_is_refused_before_the_body_is_read()
    {
        var header = new byte[GrpcFrame.HeaderSize];
        GrpcFrame.WriteHeader(header, compressed: false, 1001);
        var body = new MemoryStream([.. header, .. Pattern(1001)]);

        var error = await ReadFailsAsync(body, null, 1000);

        Assert.Equal(GrpcStatusCode.ResourceExhausted, error.Code);
        Assert.Contains("1001 vs. 1000", error.Message, StringComparison.Ordinal);
        Assert.Equal(GrpcFrame.HeaderSize, body.Position);
    }

    [Fact]
    public async Task A_length_beyond_two_gigabytes_is_refused_too()
    {
        var body = new MemoryStream([0, 0xFF, 0xFF, 0xFF, 0xFF]);

        Assert.Equal(GrpcStatusCode.ResourceExhausted, (await ReadFailsAsync(body, null, Max)).Code);
    }

    [Fact]
    public async Task A_gzip_bomb_stops_at_the_limit_after_decompression()
    {
        // 64 MiB of zeros compress to about 64 KiB: small on the wire, far beyond the limit once inflated.
        var bomb = GrpcFrame.Encode(new byte[64 * 1024 * 1024], GrpcCompression.Gzip);
        Assert.True(bomb.Length < 1024 * 1024);
        var before = GC.GetAllocatedBytesForCurrentThread();

        var error = await ReadFailsAsync(new MemoryStream(bomb), "gzip", 1024 * 1024);

        Assert.Equal(GrpcStatusCode.ResourceExhausted, error.Code);
        Assert.Contains("after decompression", error.Message, StringComparison.Ordinal);
        // Pooled buffers aside, nowhere near the 64 MiB were materialised.
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 16 * 1024 * 1024);
    }

    [Theory]
    [InlineData(new byte[] { 0 }, "1 bytes into the 5-byte prefix")]
    [InlineData(new byte[] { 0, 0, 0, 0 }, "4 bytes into the 5-byte prefix")]
    [InlineData(new byte[] { 0, 0, 0, 0, 10, 1, 2, 3 }, "announced 10 bytes, the stream ended after 3")]
    public async Task A_truncated_frame_is_an_internal_error(byte[] body, string expected)
    {
        var error = await ReadFailsAsync(new MemoryStream(body), null, Max);

        Assert.Equal(GrpcStatusCode.Internal, error.Code);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_compressed_frame_without_an_encoding_is_an_internal_error()
    {
        var frame = GrpcFrame.Encode(Pattern(10), GrpcCompression.Gzip);

        Assert.Equal(GrpcStatusCode.Internal, (await ReadFailsAsync(new MemoryStream(frame), null, Max)).Code);
        Assert.Equal(GrpcStatusCode.Internal, (await ReadFailsAsync(new MemoryStream(frame), "identity", Max)).Code);
    }

    [Fact]
    public async Task A_compressed_frame_in_an_unknown_encoding_is_unimplemented()
    {
        var frame = GrpcFrame.Encode(Pattern(10), GrpcCompression.Gzip);

        var error = await ReadFailsAsync(new MemoryStream(frame), "snappy", Max);

        Assert.Equal(GrpcStatusCode.Unimplemented, error.Code);
        Assert.Contains("snappy", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_uncompressed_frame_is_fine_whatever_the_encoding_header_says()
    {
        var message = Pattern(10);

        using var read = await GrpcMessageReader.ReadSingleAsync(new MemoryStream(GrpcFrame.Encode(message, GrpcCompression.Identity)), "snappy", Max, default);

        Assert.Equal(message, read.Span.ToArray());
    }

    [Fact]
    public async Task A_flag_other_than_zero_or_one_is_an_internal_error()
    {
        var frame = GrpcFrame.Encode(Pattern(3), GrpcCompression.Identity);
        frame[0] = 2;

        var error = await ReadFailsAsync(new MemoryStream(frame), "gzip", Max);

        Assert.Equal(GrpcStatusCode.Internal, error.Code);
        Assert.Contains("flag 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Corrupt_gzip_is_an_internal_error()
    {
        var garbage = Pattern(50);
        var frame = new byte[GrpcFrame.HeaderSize + garbage.Length];
        GrpcFrame.WriteHeader(frame, compressed: true, garbage.Length);
        garbage.CopyTo(frame, GrpcFrame.HeaderSize);

        var error = await ReadFailsAsync(new MemoryStream(frame), "gzip", Max);

        Assert.Equal(GrpcStatusCode.Internal, error.Code);
        Assert.StartsWith("failed to decompress", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_unary_call_needs_exactly_one_message()
    {
        var none = await Assert.ThrowsAsync<GrpcStatusException>(async () => await GrpcMessageReader.ReadSingleAsync(new MemoryStream(), null, Max, default));
        var frame = GrpcFrame.Encode(Pattern(4), GrpcCompression.Identity);
        var two = await Assert.ThrowsAsync<GrpcStatusException>(async () =>
            await GrpcMessageReader.ReadSingleAsync(new MemoryStream([.. frame, .. frame]), null, Max, default));

        Assert.Equal(GrpcStatusCode.Internal, none.Code);
        Assert.Equal(GrpcStatusCode.Internal, two.Code);
        Assert.Contains("more than one", two.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gzip_written_by_another_implementation_is_read()
    {
        // GZipStream at its highest level with a file name header would differ from our writer's output; any
        // conforming gzip member must do.
        var message = Pattern(5000);
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true)) gzip.Write(message);
        var payload = compressed.ToArray();
        var frame = new byte[GrpcFrame.HeaderSize + payload.Length];
        frame[0] = 1;
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(1), payload.Length);
        payload.CopyTo(frame, GrpcFrame.HeaderSize);

        using var read = await GrpcMessageReader.ReadSingleAsync(new MemoryStream(frame), "GZIP", Max, default);

        Assert.Equal(message, read.Span.ToArray());
    }

    [Fact]
    public async Task WriteAsync_writes_what_Encode_returns()
    {
        var message = Pattern(123);
        using var output = new MemoryStream();

        await GrpcFrame.WriteAsync(output, message, default);

        Assert.Equal(GrpcFrame.Encode(message, GrpcCompression.Identity), output.ToArray());
    }

    private static async Task<GrpcStatusException> ReadFailsAsync(Stream body, string? encoding, int max) =>
        await Assert.ThrowsAsync<GrpcStatusException>(async () => await GrpcMessageReader.ReadSingleAsync(body, encoding, max, default));

    private static byte[] Pattern(int size)
    {
        var bytes = new byte[size];
        for (var i = 0; i < size; i++) bytes[i] = (byte)(i * 31 + i / 251);
        return bytes;
    }

    /// <summary>Hands out one byte per read, as a slow network might.</summary>
    private sealed class TrickleStream(byte[] content) : MemoryStream(content)
    {
        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(1, buffer.Length)]);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(1, buffer.Length)], cancellationToken);
    }
}
