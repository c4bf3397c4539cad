namespace Collector.Processors.Tests.Symbolization;

/// <summary>
/// Bytes served the way a /proc file serves them: no length and no seeking, and at most
/// <paramref name="maxRead"/> bytes per read, so a reader's lines fall across reads wherever a test wants.
/// </summary>
internal sealed class ProcLikeStream(byte[] content, int maxRead = int.MaxValue) : Stream
{
    private int _position;

    public int Reads { get; private set; }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        Reads++;
        var length = Math.Min(Math.Min(buffer.Length, maxRead), content.Length - _position);
        content.AsSpan(_position, length).CopyTo(buffer);
        _position += length;
        return length;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
