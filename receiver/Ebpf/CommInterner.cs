using System.Buffers.Binary;
using System.Text;

namespace Collector.Receivers.Ebpf;

/// <summary>
/// Turns the 16-byte thread names of samples into strings without allocating for names seen before: the key is
/// the name's bytes packed into two integers, so a lookup allocates nothing.
/// </summary>
internal sealed class CommInterner
{
    /// <summary>Thread names are few; past this many distinct ones the table starts over.</summary>
    private const int MaxEntries = 4096;

    private readonly Dictionary<(ulong, ulong), string> _names = [];

    public string Intern(ReadOnlySpan<byte> comm)
    {
        Span<byte> padded = stackalloc byte[16];
        padded.Clear();
        comm[..Math.Min(comm.Length, 16)].CopyTo(padded);
        var key = (BinaryPrimitives.ReadUInt64LittleEndian(padded), BinaryPrimitives.ReadUInt64LittleEndian(padded[8..]));
        if (_names.TryGetValue(key, out var name))
        {
            return name;
        }
        if (_names.Count >= MaxEntries)
        {
            _names.Clear();
        }
        name = Encoding.UTF8.GetString(comm);
        _names[key] = name;
        return name;
    }
}
