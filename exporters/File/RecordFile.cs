namespace Collector.Exporters.File;

/// <summary>
/// The file the exporter writes, seen as a sequence of complete chunks (records, or gzip members holding
/// records). <see cref="Write"/> adds a chunk whole or not at all: when the operating system fails part-way
/// (full disk, EIO) the file is cut back to the end of the last complete chunk, so earlier records stay readable.
/// </summary>
internal sealed class RecordFile : IDisposable
{
    private readonly Stream _stream;

    private RecordFile(Stream stream, long length)
    {
        _stream = stream;
        Length = length;
    }

    /// <summary>Bytes of complete chunks in the file.</summary>
    public long Length { get; private set; }

    /// <summary>
    /// Set when a failed write could not be undone: the file may end in a partial chunk, and whoever opens it
    /// next should cut it back to <see cref="Length"/>.
    /// </summary>
    public bool NeedsRepair { get; private set; }

    /// <summary>
    /// Opens <paramref name="path"/> for writing at its end, or empty when <paramref name="truncate"/>.
    /// <paramref name="repairTo"/> is the end of the last complete chunk of an earlier failed session.
    /// </summary>
    public static RecordFile Open(string path, bool truncate, long? repairTo, FileStreamFactory open)
    {
        var stream = open(path, truncate ? FileMode.Create : FileMode.OpenOrCreate);
        try
        {
            var length = stream.Seek(0, SeekOrigin.End);
            if (!truncate && repairTo is { } end && end < length)
            {
                stream.SetLength(end);
                length = stream.Seek(0, SeekOrigin.End);
            }
            return new RecordFile(stream, length);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    public void Write(ReadOnlySpan<byte> chunk)
    {
        try
        {
            _stream.Write(chunk);
            _stream.Flush();
            Length += chunk.Length;
        }
        catch
        {
            Undo();
            throw;
        }
    }

    /// <summary>Asks the operating system to put the data on the disk (fsync), for shutdown.</summary>
    public void FlushToDisk()
    {
        if (_stream is FileStream file) file.Flush(flushToDisk: true);
        else _stream.Flush();
    }

    public void Dispose() => _stream.Dispose();

    private void Undo()
    {
        try
        {
            _stream.SetLength(Length);
            _stream.Seek(Length, SeekOrigin.Begin);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            NeedsRepair = true;
        }
    }
}

/// <summary>Opens the stream behind a <see cref="RecordFile"/>; tests substitute one that fails on purpose.</summary>
internal delegate Stream FileStreamFactory(string path, FileMode mode);
