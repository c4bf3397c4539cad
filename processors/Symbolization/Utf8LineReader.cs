using System.Buffers;

namespace Collector.Processors.Symbolization;

/// <summary>
/// The lines of a text stream as UTF-8 bytes, with no string per line: a symbol file such as kallsyms has over
/// 100,000 lines, and decoding each into a string cost more than parsing it. Lines end where
/// <see cref="TextReader.ReadLine"/> ends them (\n, \r or \r\n); the last one may have no terminator. The stream
/// is read in large chunks until it reports its end, never up to a length: /proc files report 0. A UTF-8 byte
/// order mark at the start is skipped, as <see cref="StreamReader"/> skips it.
/// </summary>
/// <remarks>A line is valid until the next call. A line longer than the buffer grows it.</remarks>
internal sealed class Utf8LineReader : IDisposable
{
    public const int DefaultBufferSize = 64 * 1024;

    private readonly Stream _stream;
    private byte[] _buffer;
    private int _start; // the first byte not returned yet
    private int _end; // the end of the bytes read
    private int _scanned; // bytes after _start known to hold no line end, so a long line is scanned once
    private bool _lineFeedMayFollow; // the last line ended with \r: a \n right after it belongs to that end
    private bool _streamEnded;
    private bool _atStart = true;

    public Utf8LineReader(Stream stream, int bufferSize = DefaultBufferSize)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfLessThan(bufferSize, 1);
        _stream = stream;
        _buffer = ArrayPool<byte>.Shared.Rent(bufferSize);
    }

    public bool TryReadLine(out ReadOnlySpan<byte> line)
    {
        if (_atStart)
        {
            _atStart = false;
            while (_end < 3 && !_streamEnded) Fill();
            if (_buffer.AsSpan(0, _end).StartsWith("\uFEFF"u8)) _start = 3;
        }
        while (true)
        {
            if (_lineFeedMayFollow && _start < _end)
            {
                _lineFeedMayFollow = false;
                if (_buffer[_start] == (byte)'\n') _start++;
            }
            var end = _buffer.AsSpan(_start + _scanned, _end - _start - _scanned).IndexOfAny((byte)'\n', (byte)'\r');
            if (end >= 0)
            {
                end += _start + _scanned;
                line = _buffer.AsSpan(_start, end - _start);
                _lineFeedMayFollow = _buffer[end] == (byte)'\r';
                _start = end + 1;
                _scanned = 0;
                return true;
            }
            _scanned = _end - _start;
            if (_streamEnded)
            {
                line = _buffer.AsSpan(_start, _end - _start);
                _start = _end;
                _scanned = 0;
                return !line.IsEmpty;
            }
            Fill();
        }
    }

    public void Dispose()
    {
        if (_buffer.Length == 0) return;
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    /// <summary>Moves the unfinished line to the front, grows the buffer if that line fills it, and reads more after it.</summary>
    private void Fill()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(checked(_buffer.Length * 2));
            _buffer.AsSpan(0, _end).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }
        var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0) _streamEnded = true;
        _end += read;
    }
}
