namespace Collector.Bpf;

/// <summary>
/// Slots of <c>unwind_tables</c>, an array of maps indexed by table id: ids 1 to <see cref="Capacity"/> (0 means "no
/// table"). An id is handed out again only when every other has been used, the longest-freed first: a sample that read
/// a process's mappings just before a table was replaced then finds the slot empty (and steps by frame pointer), not
/// another file's rows. Tables are added and unloaded on the unwinder's one worker, which rewrites every process that
/// mapped an unloaded table before it adds another: a freed id cannot come back before those rewrites.
/// <para>Thread-safe.</para>
/// </summary>
public sealed class TableIds(int capacity)
{
    private readonly Queue<uint> _freed = new();
    private readonly Lock _lock = new();
    private uint _neverUsed = 1;

    public int Capacity { get; } = capacity;

    /// <summary>An unused id, or 0 when all <see cref="Capacity"/> are taken.</summary>
    public uint Take()
    {
        lock (_lock)
        {
            if (_neverUsed <= (uint)Capacity)
            {
                return _neverUsed++;
            }
            return _freed.TryDequeue(out var id) ? id : 0;
        }
    }

    /// <summary>Gives back an id taken before (its slot is empty again).</summary>
    public void Return(uint id)
    {
        ArgumentOutOfRangeException.ThrowIfZero(id, nameof(id));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(id, (uint)Capacity, nameof(id));
        lock (_lock)
        {
            _freed.Enqueue(id);
        }
    }
}
