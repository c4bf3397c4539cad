using Collector.Bpf.Native;
using Collector.Bpf.Records;

namespace Collector.Bpf;

/// <summary>
/// The unwinder's kernel maps: one array of rows per file (inner maps of <c>unwind_tables</c>, keyed by a table id
/// chosen here) and each process's sorted executable mappings (<c>process_mappings</c>). Every method is one or two
/// bpf(2) calls and returns false, never throws, when the kernel refuses (a full map, no memory): the unwinder then
/// steps that code by frame pointer.
/// <para>Thread-safe: the kernel serializes map updates, and <see cref="TableIds"/> hands ids out under a lock.</para>
/// </summary>
public sealed unsafe class UnwindMaps
{
    /// <summary>Bytes the kernel stores per slot (a row or a bucket of the index): array values are rounded up to 8 bytes.</summary>
    public const int KernelBytesPerSlot = 16;

    /// <summary>Bytes of one process's entry in the kernel (allocated on insert).</summary>
    public static readonly int KernelBytesPerProcess = sizeof(ProcessMappingsRecord) + 64;

    public const int MaxMappingsPerProcess = AbiConstants.MaxMappings;

    /// <summary>Tables loaded at once: the slots of <c>unwind_tables</c> but slot 0, which means "no table".</summary>
    public const int MaxTables = AbiConstants.MaxTables - 1;

    public const int MaxProcesses = AbiConstants.MaxProcesses;

    /// <summary>Rows the BPF binary search reaches within one bucket (UNWIND_MAX_ROWS in unwinder.bpf.h); larger tables are refused.</summary>
    public const int MaxRowsPerTable = 1 << 24;

    private const int SlotSize = 12;

    private readonly int _tablesFd;
    private readonly int _processesFd;
    private readonly TableIds _ids = new(MaxTables);

    internal UnwindMaps(int tablesFd, int processesFd)
    {
        _tablesFd = tablesFd;
        _processesFd = processesFd;
    }

    /// <summary>
    /// Loads a table: its rows then the buckets of its index, 12 bytes each (UnwindRowLayout, UnwindBucketIndex), as
    /// <paramref name="shape"/> counts them. Returns the table's id, or 0 when the kernel refused (the errno is in
    /// <paramref name="error"/>).
    /// </summary>
    public uint AddTable(ReadOnlySpan<byte> slots, UnwindTableShape shape, out int error)
    {
        error = 0;
        if (shape.Rows == 0 || shape.Rows > MaxRowsPerTable || shape.IndexBuckets == 0 || shape.Slots > int.MaxValue / SlotSize
            || slots.Length < shape.Slots * SlotSize || shape.IndexShift is < 0 or > 31)
        {
            error = -22; // EINVAL: nothing a map could hold
            return 0;
        }
        var slotCount = (int)shape.Slots;
        var options = new LibbpfMapCreation.CreateOptions
        {
            Size = (nuint)sizeof(LibbpfMapCreation.CreateOptions),
            MapFlags = LibbpfMapCreation.FlagInnerMap,
        };
        var fd = LibbpfMapCreation.Create(LibbpfMapCreation.MapTypeArray, "unwind_rows", sizeof(uint), SlotSize, (uint)slotCount, &options);
        if (fd < 0)
        {
            error = fd;
            return 0;
        }
        try
        {
            var keys = new uint[slotCount];
            for (var i = 0; i < keys.Length; i++)
            {
                keys[i] = (uint)i;
            }
            var count = (uint)slotCount;
            int result;
            fixed (uint* keyPointer = keys)
            fixed (byte* valuePointer = slots)
            {
                result = LibbpfMapCreation.UpdateBatch(fd, keyPointer, valuePointer, &count, 0);
            }
            if (result < 0 || count != (uint)slotCount)
            {
                error = result < 0 ? result : -5; // EIO: fewer slots written than asked
                return 0;
            }
            var id = _ids.Take();
            if (id == 0)
            {
                error = -28; // ENOSPC: every slot holds a table
                return 0;
            }
            result = LibbpfMaps.Update(_tablesFd, &id, &fd, LibbpfMaps.UpdateAny);
            if (result < 0)
            {
                _ids.Return(id);
                error = result;
                return 0;
            }
            return id;
        }
        finally
        {
            // The outer map holds its own reference; this descriptor is no longer needed either way.
            LibbpfMapCreation.Close(fd);
        }
    }

    /// <summary>
    /// Unloads a table; processes still pointing at it step that code by frame pointer until they are rewritten, which
    /// must happen before the id can come back (see <see cref="TableIds"/>).
    /// </summary>
    public bool RemoveTable(uint tableId)
    {
        if (LibbpfMapCreation.Delete(_tablesFd, &tableId) != 0)
        {
            return false;
        }
        _ids.Return(tableId);
        return true;
    }

    /// <summary>
    /// Writes the mappings of process <paramref name="pid"/> (started at <paramref name="startBoottimeNanos"/>, as
    /// samples carry it), sorted by start, at most <see cref="MaxMappingsPerProcess"/>. <paramref name="mayRunPython"/>:
    /// the process may be in <c>python_processes</c> (PythonMaps); its samples look it up only then.
    /// </summary>
    public bool SetProcess(int pid, ulong startBoottimeNanos, ReadOnlySpan<UnwindMapping> mappings, bool mayRunPython, out int error)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(mappings.Length, MaxMappingsPerProcess, nameof(mappings));
        var value = new ProcessMappingsRecord
        {
            StartBoottimeNanos = startBoottimeNanos,
            Count = (uint)mappings.Length,
            Flags = mayRunPython ? AbiConstants.ProcessPython : 0,
        };
        var records = (MappingRecord*)value.Mappings;
        for (var i = 0; i < mappings.Length; i++)
        {
            var mapping = mappings[i];
            records[i] = new MappingRecord
            {
                Start = mapping.Start,
                End = mapping.End,
                Bias = mapping.Bias,
                TableId = mapping.TableId,
                Rows = mapping.Table.Rows,
                IndexBase = mapping.Table.IndexBase,
                IndexBuckets = mapping.Table.IndexBuckets,
                IndexShift = (uint)mapping.Table.IndexShift,
            };
        }
        var key = (uint)pid;
        error = LibbpfMaps.Update(_processesFd, &key, &value, LibbpfMaps.UpdateAny);
        return error == 0;
    }

    /// <summary>Forgets a process; false when the kernel had no entry for it.</summary>
    public bool RemoveProcess(int pid)
    {
        var key = (uint)pid;
        return LibbpfMapCreation.Delete(_processesFd, &key) == 0;
    }
}
