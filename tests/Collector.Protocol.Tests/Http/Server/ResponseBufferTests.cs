using Collector.Protocol.Http.Server;

namespace Collector.Protocol.Tests.Http.Server;

public class ResponseBufferTests
{
    [Fact]
    public async Task Holds_everything_written_in_order_across_growth()
    {
        using var buffer = new ResponseBuffer();
        var large = Enumerable.Range(0, 100_000).Select(i => (byte)i).ToArray();

        buffer.WriteByte(1);
        await buffer.WriteAsync(large.AsMemory(0, 10));
        buffer.Write(large, 10, large.Length - 10);

        Assert.Equal([1, .. large], buffer.Written.ToArray());
    }

    [Fact]
    public void Clear_forgets_what_was_written()
    {
        using var buffer = new ResponseBuffer();
        buffer.Write([1, 2, 3]);
        buffer.Clear();
        buffer.Write([4]);

        Assert.Equal([4], buffer.Written.ToArray());
    }

    [Fact]
    public async Task A_cancelled_write_writes_nothing()
    {
        using var buffer = new ResponseBuffer();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => buffer.WriteAsync(new byte[] { 1 }, new CancellationToken(true)).AsTask());
        Assert.Equal(0, buffer.Written.Count);
    }

    [Fact]
    public void Cannot_be_read_or_sought()
    {
        using var buffer = new ResponseBuffer();

        Assert.False(buffer.CanRead);
        Assert.False(buffer.CanSeek);
        Assert.True(buffer.CanWrite);
        Assert.Throws<NotSupportedException>(() => buffer.Read(new byte[1], 0, 1));
        Assert.Throws<NotSupportedException>(() => buffer.Length);
    }
}
