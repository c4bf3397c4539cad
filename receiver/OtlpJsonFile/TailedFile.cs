using System.IO.Compression;
using Microsoft.Win32.SafeHandles;

namespace Collector.Receivers.OtlpJsonFile;

/// <summary>What a followed file's path holds now, compared with the file being read.</summary>
internal enum FileChange
{
    Same,

    /// <summary>Truncated, or another file now sits at the path; reading restarted at its beginning.</summary>
    Restarted,

    /// <summary>Nothing is at the path any more.</summary>
    Gone,
}

/// <summary>
/// One input file being read: plain files through positioned reads on a handle (so a followed file is read
/// as it grows), <c>.gz</c> files through a gzip stream of concatenated members, never followed.
/// <para>Truncation and replacement are recognised as log tailers do, without inode numbers: the path now
/// holds fewer bytes than were read, more bytes than the open handle sees, or different first bytes.</para>
/// </summary>
internal sealed class TailedFile : IDisposable
{
    private const int FingerprintSize = 1024;
    private const FileShare ShareAll = FileShare.ReadWrite | FileShare.Delete;

    private SafeFileHandle? _handle;
    private readonly Stream? _gzip;
    private long _position;
    private readonly byte[] _fingerprint = new byte[FingerprintSize];
    private int _fingerprintLength;

    private TailedFile(string path, int maxLineBytes, SafeFileHandle? handle, Stream? gzip)
    {
        Path = path;
        Lines = new LineSplitter(maxLineBytes);
        _handle = handle;
        _gzip = gzip;
    }

    public string Path { get; }

    public LineSplitter Lines { get; }

    public bool IsGzip => _gzip is not null;

    public static bool IsGzipPath(string path) => path.EndsWith(".gz", StringComparison.Ordinal);

    /// <summary>Opens <paramref name="path"/>; with <paramref name="atEnd"/> a plain file is read from its current end.</summary>
    public static TailedFile Open(string path, bool atEnd, int maxLineBytes)
    {
        if (IsGzipPath(path))
        {
            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, ShareAll, bufferSize: 1);
            return new TailedFile(path, maxLineBytes, null, new GZipStream(stream, CompressionMode.Decompress));
        }
        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, ShareAll);
        var file = new TailedFile(path, maxLineBytes, handle, null);
        file.TakeFingerprint();
        if (atEnd) file._position = RandomAccess.GetLength(handle);
        return file;
    }

    /// <summary>Reads what is available into <see cref="Lines"/>; 0 at the (current) end of the file.</summary>
    public int Read()
    {
        var space = Lines.GetSpace();
        int read;
        if (_gzip is not null)
        {
            read = _gzip.Read(space.Span);
        }
        else
        {
            read = RandomAccess.Read(_handle!, space.Span, _position);
            _position += read;
        }
        Lines.Advance(read);
        return read;
    }

    /// <summary>At the end of a followed file: has the path been truncated, replaced or removed?</summary>
    public FileChange CheckPath()
    {
        SafeFileHandle probe;
        try
        {
            probe = File.OpenHandle(Path, FileMode.Open, FileAccess.Read, ShareAll);
        }
        catch (Exception error) when (error is FileNotFoundException or DirectoryNotFoundException)
        {
            return FileChange.Gone;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // Cannot look right now; keep reading the handle we have.
            return FileChange.Same;
        }

        // The path's length first: if it is our file, our handle's length read afterwards cannot be smaller.
        var pathLength = RandomAccess.GetLength(probe);
        var ourLength = RandomAccess.GetLength(_handle!);
        if (pathLength >= _position && ourLength >= pathLength && StartsWithFingerprint(probe))
        {
            probe.Dispose();
            return FileChange.Same;
        }

        _handle!.Dispose();
        _handle = probe;
        _position = 0;
        Lines.Reset();
        TakeFingerprint();
        return FileChange.Restarted;
    }

    public void Dispose()
    {
        _handle?.Dispose();
        _gzip?.Dispose();
    }

    private void TakeFingerprint() => _fingerprintLength = RandomAccess.Read(_handle!, _fingerprint, 0);

    private bool StartsWithFingerprint(SafeFileHandle probe)
    {
        // A file that was shorter than the fingerprint when opened has grown since: compare the longer prefix.
        if (_fingerprintLength < FingerprintSize) TakeFingerprint();
        Span<byte> head = stackalloc byte[FingerprintSize];
        var read = RandomAccess.Read(probe, head[.._fingerprintLength], 0);
        return read == _fingerprintLength && head[..read].SequenceEqual(_fingerprint.AsSpan(0, _fingerprintLength));
    }
}
