namespace Collector.Receivers.Ebpf;

/// <summary>
/// Copies stack frames into large shared arrays and hands out read-only slices of them, so a sample costs no
/// allocation of its own. Slices given out are never written again; later frames go to the unused tail or to a
/// fresh array, so batches already sent downstream may keep reading theirs while the arena goes on filling.
/// </summary>
internal sealed class FrameArena
{
    /// <summary>128 KiB per array: at 19 Hz on a few CPUs, one array lasts many seconds.</summary>
    private const int ChunkFrames = 16_384;

    private ulong[] _chunk = [];
    private int _used;

    public ReadOnlyMemory<ulong> Append(ReadOnlySpan<ulong> frames)
    {
        if (frames.IsEmpty)
        {
            return ReadOnlyMemory<ulong>.Empty;
        }
        if (_chunk.Length - _used < frames.Length)
        {
            _chunk = new ulong[Math.Max(ChunkFrames, frames.Length)];
            _used = 0;
        }
        frames.CopyTo(_chunk.AsSpan(_used));
        var slice = new ReadOnlyMemory<ulong>(_chunk, _used, frames.Length);
        _used += frames.Length;
        return slice;
    }
}
