using System.Buffers;
using System.Text;

namespace Collector.Processors.Symbolization.PerfMaps;

/// <summary>
/// Follows one process's perf map as its runtime appends to it: each read parses only the bytes written since
/// the last one, from the offset where it stopped, and only up to the last complete line (a line the runtime
/// is still writing is read next time, whole). A file that is shorter than what was read, or whose first bytes
/// changed (truncated, rewritten, or another process's map after pid reuse), is read again from its start.
/// </summary>
internal sealed class PerfMapFollower
{
    /// <summary>How many leading bytes identify the file; a runtime never rewrites its first lines.</summary>
    private const int IdentityLength = 64;

    /// <summary>Bytes read per step: memory stays bounded however much was appended.</summary>
    private const int ChunkSize = 256 * 1024;

    private byte[] _identity = [];

    public PerfMapTable Table { get; private set; } = PerfMapTable.Empty;

    /// <summary>The file followed, once it was found.</summary>
    public string? Path { get; private set; }

    /// <summary>The bytes parsed so far: everything before is in <see cref="Table"/>.</summary>
    public long Offset { get; private set; }

    /// <summary>True when the file at <paramref name="path"/> may hold lines not read yet (a cheap size check, no read).</summary>
    public bool MayHaveNewLines(string path, long length) => path != Path || length != Offset;

    /// <summary>Reads what was appended since the last read (or the whole file when it is new or was replaced); the number of lines that were not entries.</summary>
    public int Update(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);
        if (path != Path || stream.Length < Offset || !StartsWithIdentity(stream)) Restart(path);
        stream.Position = Offset;
        var malformed = 0;
        var entries = new List<(ulong Start, ulong Size, string Name)>();
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            var carried = 0;
            while (true)
            {
                if (carried == buffer.Length) buffer = Grow(buffer, carried); // one line longer than a chunk
                var read = stream.Read(buffer, carried, buffer.Length - carried);
                if (read == 0) break;
                var filled = carried + read;
                var complete = buffer.AsSpan(0, filled).LastIndexOf((byte)'\n') + 1;
                if (complete > 0)
                {
                    if (Offset == 0 && _identity.Length == 0) _identity = buffer.AsSpan(0, Math.Min(IdentityLength, complete)).ToArray();
                    using var reader = new StringReader(Encoding.UTF8.GetString(buffer, 0, complete));
                    entries.AddRange(PerfMapParser.Entries(reader, out var bad));
                    malformed += bad;
                    Offset += complete;
                    buffer.AsSpan(complete, filled - complete).CopyTo(buffer);
                }
                carried = filled - complete;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        Table = Table.Append(entries);
        return malformed;
    }

    private void Restart(string path)
    {
        Path = path;
        Offset = 0;
        _identity = [];
        Table = PerfMapTable.Empty;
    }

    private bool StartsWithIdentity(FileStream stream)
    {
        if (_identity.Length == 0) return true;
        Span<byte> head = stackalloc byte[IdentityLength];
        stream.Position = 0;
        var read = stream.ReadAtLeast(head[.._identity.Length], _identity.Length, throwOnEndOfStream: false);
        return head[..read].SequenceEqual(_identity);
    }

    private static byte[] Grow(byte[] buffer, int used)
    {
        var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
        buffer.AsSpan(0, used).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(buffer);
        return larger;
    }
}
