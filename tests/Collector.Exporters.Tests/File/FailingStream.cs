namespace Collector.Exporters.Tests.File;

/// <summary>
/// A file stream that runs out of space on demand: once armed, a write gets only <see cref="SpaceLeft"/> bytes
/// onto the disk and then fails, the way a full disk or an I/O error fails part-way through a record.
/// </summary>
internal sealed class FailingStream(FileStream inner, FailureSwitch failures) : Stream
{
    public override bool CanRead => false;

    public override bool CanSeek => true;

    public override bool CanWrite => true;

    public override long Length => inner.Length;

    public override long Position { get => inner.Position; set => inner.Position = value; }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (failures.SpaceLeft is { } left && buffer.Length > left)
        {
            inner.Write(buffer[..(int)left]);
            inner.Flush();
            failures.SpaceLeft = 0;
            throw new IOException("No space left on device");
        }
        if (failures.SpaceLeft is not null) failures.SpaceLeft -= buffer.Length;
        inner.Write(buffer);
    }

    public override void SetLength(long value)
    {
        if (failures.FailSetLength) throw new IOException("Input/output error");
        inner.SetLength(value);
    }

    public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

    public override void Flush() => inner.Flush();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}

/// <summary>Shared by every stream a test's exporter opens, so a failure can be armed and cleared from the test.</summary>
internal sealed class FailureSwitch
{
    /// <summary>Bytes that still fit; null for unlimited.</summary>
    public long? SpaceLeft { get; set; }

    public bool FailSetLength { get; set; }

    public int Opens { get; private set; }

    public Stream Open(string path, FileMode mode)
    {
        Opens++;
        return new FailingStream(new FileStream(path, mode, FileAccess.Write, FileShare.Read | FileShare.Delete, bufferSize: 0), this);
    }
}
