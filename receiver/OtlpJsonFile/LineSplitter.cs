namespace Collector.Receivers.OtlpJsonFile;

/// <summary>What <see cref="LineSplitter.TryTake"/> found.</summary>
internal enum LineKind
{
    /// <summary>No complete line is buffered; read more.</summary>
    None,

    /// <summary>A complete line (without its newline).</summary>
    Line,

    /// <summary>A line longer than the limit ended here; its bytes were dropped along the way.</summary>
    TooLong,
}

/// <summary>
/// Cuts a byte stream into lines at <c>\n</c>. Bytes are read straight into its buffer, and a line is handed
/// out as a slice of that buffer, valid until the next call to <see cref="GetSpace"/>. A line that grows past
/// the limit is dropped while it streams past, so a file without newlines cannot exhaust memory.
/// </summary>
internal sealed class LineSplitter(int maxLineBytes)
{
    private const int ReadSize = 64 * 1024;

    private byte[] _buffer = new byte[ReadSize];
    private int _start;
    private int _end;
    // Bytes after _start already searched for a newline, so a long line is not scanned again on every read.
    private int _scanned;
    private bool _dropping;

    /// <summary>1-based number of the line last handed out (blank lines count).</summary>
    public long LineNumber { get; private set; }

    /// <summary>True when a partial line (or a dropped over-long one) waits for its newline.</summary>
    public bool HasPartialLine => _dropping || _end > _start;

    /// <summary>Free space to read into; call <see cref="Advance"/> with the number of bytes read.</summary>
    public Memory<byte> GetSpace()
    {
        if (_buffer.Length - _end < ReadSize)
        {
            var used = _end - _start;
            if (_start > 0 && _buffer.Length - used >= ReadSize)
            {
                _buffer.AsSpan(_start, used).CopyTo(_buffer);
            }
            else
            {
                var bigger = new byte[Math.Max(_buffer.Length * 2, used + ReadSize)];
                _buffer.AsSpan(_start, used).CopyTo(bigger);
                _buffer = bigger;
            }
            _start = 0;
            _end = used;
        }
        return _buffer.AsMemory(_end);
    }

    public void Advance(int count) => _end += count;

    public LineKind TryTake(out ReadOnlyMemory<byte> line)
    {
        line = default;
        var newline = _buffer.AsSpan(_start + _scanned, _end - _start - _scanned).IndexOf((byte)'\n');
        if (newline < 0)
        {
            _scanned = _end - _start;
            if (_dropping || _scanned > maxLineBytes)
            {
                _dropping = true;
                _start = _end = _scanned = 0;
            }
            return LineKind.None;
        }

        var length = _scanned + newline;
        line = _buffer.AsMemory(_start, length);
        _start += length + 1;
        _scanned = 0;
        LineNumber++;
        if (_dropping || length > maxLineBytes)
        {
            _dropping = false;
            line = default;
            return LineKind.TooLong;
        }
        return LineKind.Line;
    }

    /// <summary>At the end of input: the last line if it has no newline (or <see cref="LineKind.TooLong"/>).</summary>
    public LineKind TakeRest(out ReadOnlyMemory<byte> line)
    {
        line = default;
        if (!HasPartialLine) return LineKind.None;
        LineNumber++;
        var kind = _dropping ? LineKind.TooLong : LineKind.Line;
        if (kind == LineKind.Line) line = _buffer.AsMemory(_start, _end - _start);
        Reset(keepLineNumber: true);
        return kind;
    }

    /// <summary>Forgets buffered bytes, e.g. when the file was truncated or replaced.</summary>
    public void Reset(bool keepLineNumber = false)
    {
        _start = _end = _scanned = 0;
        _dropping = false;
        if (!keepLineNumber) LineNumber = 0;
    }
}
