using System.Buffers;

namespace Collector.Core.Telemetry.Http.Server;

/// <summary>
/// The response body as the handler writes it, held whole so that the head can say its Content-Length and a
/// handler that fails half-way still gets a clean 500. The bodies are metrics pages and health answers, small
/// enough to hold; the array comes from the shared pool and goes back when the response is sent.
/// </summary>
internal sealed class ResponseBuffer : Stream
{
    private byte[] _buffer = [];
    private int _length;

    /// <summary>What was written, valid until the next write or <see cref="Dispose(bool)"/>.</summary>
    public ArraySegment<byte> Written => new(_buffer, 0, _length);

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
    public void Clear() => _length = 0;

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (_buffer.Length - _length < buffer.Length) Grow(buffer.Length);
        buffer.CopyTo(_buffer.AsSpan(_length));
        _length += buffer.Length;
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
        if (disposing && _buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
            _length = 0;
        }
        base.Dispose(disposing);
    }

    private void Grow(int more)
    {
        var needed = (long)_length + more;
        if (needed > Array.MaxLength) throw new InvalidOperationException("The response body is too large to hold.");
        var grown = ArrayPool<byte>.Shared.Rent((int)Math.Min(Math.Max(needed, Math.Max(4096L, 2L * _buffer.Length)), Array.MaxLength));
        _buffer.AsSpan(0, _length).CopyTo(grown);
        if (_buffer.Length > 0) ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = grown;
    }
}
