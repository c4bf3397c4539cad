using Collector.Core.Buffers;


namespace Collector.Protocol.Http.Server;

/// <summary>
/// The response body as the handler writes it, held whole so that the head can say its Content-Length and a
/// handler that fails half-way still gets a clean 500. The bodies are metrics pages and health answers, small
/// enough to hold; the bytes go to a <see cref="PooledBufferWriter"/>, whose array goes back to the shared pool
/// when the response is sent.
/// </summary>
internal sealed class ResponseBuffer : Stream
{
    private const int InitialCapacity = 4096;

    private readonly PooledBufferWriter _buffer = new(InitialCapacity);

    /// <summary>What was written, valid until the next write or <see cref="Dispose(bool)"/>.</summary>
    public ArraySegment<byte> Written => _buffer.WrittenSegment;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>Forgets what was written, for an error response in its place.</summary>
    public void Clear() => _buffer.Clear();

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        buffer.CopyTo(_buffer.GetSpan(buffer.Length));
        _buffer.Advance(buffer.Length);
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void WriteByte(byte value) => Write([value]);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested) return ValueTask.FromCanceled(cancellationToken);
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _buffer.Dispose();
        base.Dispose(disposing);
    }
}
