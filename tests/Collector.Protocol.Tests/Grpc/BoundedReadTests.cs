using System.IO.Compression;
using Collector.Protocol.Grpc;

namespace Collector.Protocol.Tests.Grpc;

public class BoundedReadTests
{
    [Theory]
    [InlineData(0, null)]
    [InlineData(1, null)]
    [InlineData(100_000, null)]
    [InlineData(100_000, 10L)]
    [InlineData(100_000, 100_000L)]
    [InlineData(100_000, 1_000_000_000L)]
    public async Task Reads_everything_up_to_the_limit_whatever_the_size_hint(int size, long? hint)
    {
        var content = Enumerable.Range(0, size).Select(i => (byte)i).ToArray();

        using var buffer = await BoundedRead.ToEndAsync(new MemoryStream(content), 100_000, hint, "body", default);

        Assert.Equal(content, buffer.Span.ToArray());
    }

    [Fact]
    public async Task One_byte_over_the_limit_fails_and_reading_stops_there()
    {
        var source = new MemoryStream(new byte[10_000]);

        var error = await Assert.ThrowsAsync<PayloadTooLargeException>(async () => await BoundedRead.ToEndAsync(source, 1000, null, "request body", default));

        Assert.Equal(1000, error.Limit);
        Assert.Equal("request body is larger than the limit of 1000 bytes", error.Message);
        Assert.Equal(1001, source.Position);
    }

    [Fact]
    public async Task Gunzip_applies_the_limit_to_the_decompressed_size()
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(new byte[2001]);

        using var fits = await BoundedRead.GunzipAsync(compressed.ToArray(), 2001, "body", default);
        await Assert.ThrowsAsync<PayloadTooLargeException>(async () => await BoundedRead.GunzipAsync(compressed.ToArray(), 2000, "body", default));

        Assert.Equal(2001, fits.Length);
    }

    [Fact]
    public async Task Gunzip_of_garbage_throws_InvalidDataException()
    {
        await Assert.ThrowsAsync<InvalidDataException>(async () => await BoundedRead.GunzipAsync(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, 100, "body", default));
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.99)]
    public async Task Gunzip_of_a_truncated_stream_throws_InvalidDataException(double kept)
    {
        var random = new Random(7);
        var plain = new byte[10_000];
        random.NextBytes(plain);
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(plain);
        var truncated = compressed.ToArray()[..(int)(compressed.Length * kept)];

        var error = await Assert.ThrowsAsync<InvalidDataException>(async () => await BoundedRead.GunzipAsync(truncated, 100_000, "body", default));
        Assert.Equal("body: the gzip data is truncated (it ends before its trailer)", error.Message);
    }

    [Fact]
    public async Task Gunzip_notices_a_changed_byte_the_inflater_lets_through()
    {
        // Python's gzip.compress(b"stored, not deflated", compresslevel=0): one stored block, so a changed byte
        // inside still inflates and only the CRC-32 in the trailer tells.
        var member = Convert.FromHexString("1f8b0800c8c2016b00ff011400ebff73746f7265642c206e6f74206465666c61746564de6afa7214000000");

        using var intact = await BoundedRead.GunzipAsync(member, 100, "body", default);
        member[20] ^= 0x20;

        Assert.Equal("stored, not deflated"u8.ToArray(), intact.Span.ToArray());
        await Assert.ThrowsAsync<InvalidDataException>(async () => await BoundedRead.GunzipAsync(member, 100, "body", default));
    }

    [Fact]
    public async Task A_disposed_buffer_can_be_disposed_again()
    {
        var buffer = await BoundedRead.ToEndAsync(new MemoryStream([1, 2, 3]), 10, null, "body", default);
        buffer.Dispose();
        buffer.Dispose();

        Assert.Throws<ObjectDisposedException>(() => buffer.Span.ToArray());
    }
}
