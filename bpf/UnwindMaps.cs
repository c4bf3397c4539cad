using Collector.Bpf.Native;
using Collector.Bpf.Records;

namespace Collector.Bpf;

/// <summary>
/// The unwinder's kernel maps: one array of rows per file (inner maps of <c>unwind_tables</c>, keyed by a table id
/// chosen here) and each process's sorted executable mappings (<c>process_mappings</c>). Every method is one or two
/// bpf(2) calls and returns false, never throws, when the kernel refuses (a full map, no memory): the unwinder then
/// steps that code by frame pointer.
/// <para>Thread-safe: the kernel serializes map updates, and table ids are handed out atomically.</para>
/// </summary>
public sealed unsafe class UnwindMaps
{
    /// <summary>Bytes the kernel stores per row: array values are rounded up to 8 bytes.</summary>
    public const int KernelBytesPerRow = 16;

    /// <summary>Bytes of one process's entry in the kernel (allocated on insert).</summary>
    public static readonly int KernelBytesPerProcess = sizeof(ProcessMappingsRecord) + 64;

    public const int MaxMappingsPerProcess = AbiConstants.MaxMappings;

    public const int MaxTables = AbiConstants.MaxTables;

    public const int MaxProcesses = AbiConstants.MaxProcesses;

    /// <summary>Rows the BPF binary search reaches (UNWIND_MAX_ROWS in unwinder.bpf.h).</summary>
    public const int MaxRowsPerTable = 1 << 24;

    private const int RowSize = 12;

    private readonly int _tablesFd;
    private readonly int _processesFd;
    private int _nextTableId;

    internal UnwindMaps(int tablesFd, int processesFd)
    {
        _tablesFd = tablesFd;
        _processesFd = processesFd;
    }

    /// <summary>
    /// Loads <paramref name="rowCount"/> rows (12 bytes each, UnwindRowLayout) as a new table; returns its id, or 0
    /// when the kernel refused (the errno is in <paramref name="error"/>).
    /// </summary>
    public uint AddTable(ReadOnlySpan<byte> rows, int rowCount, out int error)
    {
        error = 0;
        if (rowCount <= 0 || rowCount > MaxRowsPerTable || rows.Length < rowCount * RowSize)
        {
            error = -22; // EINVAL: nothing a map could hold
            return 0;
        }
        var options = new LibbpfMapCreation.CreateOptions
        {
            Size = (nuint)sizeof(LibbpfMapCreation.CreateOptions),
            MapFlags = LibbpfMapCreation.FlagInnerMap,
        };
        var fd = LibbpfMapCreation.Create(LibbpfMapCreation.MapTypeArray, "unwind_rows", sizeof(uint), RowSize, (uint)rowCount, &options);
        if (fd < 0)
        {
            error = fd;
            return 0;
        }
        try
        {
            var keys = new uint[rowCount];
            for (var i = 0; i < keys.Length; i++)
            {
                keys[i] = (uint)i;
            }
            var count = (uint)rowCount;
            int result;
            fixed (uint* keyPointer = keys)
            fixed (byte* valuePointer = rows)
            {
                result = LibbpfMapCreation.UpdateBatch(fd, keyPointer, valuePointer, &count, 0);
            }
            if (result < 0 || count != (uint)rowCount)
            {
                error = result < 0 ? result : -5; // EIO: fewer rows written than asked
                return 0;
            }
            var id = (uint)Interlocked.Increment(ref _nextTableId);
            result = LibbpfMaps.Update(_tablesFd, &id, &fd, LibbpfMaps.UpdateAny);
            if (result < 0)
            {
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

    /// <summary>Unloads a table; processes still pointing at it step that code by frame pointer.</summary>
    public bool RemoveTable(uint tableId) => LibbpfMapCreation.Delete(_tablesFd, &tableId) == 0;

    /// <summary>
    /// Writes the mappings of process <paramref name="pid"/> (started at <paramref name="startBoottimeNanos"/>, as
    /// samples carry it), sorted by start, at most <see cref="MaxMappingsPerProcess"/>.
    /// </summary>
    public bool SetProcess(int pid, ulong startBoottimeNanos, ReadOnlySpan<UnwindMapping> mappings, out int error)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(mappings.Length, MaxMappingsPerProcess, nameof(mappings));
        var value = new ProcessMappingsRecord { StartBoottimeNanos = startBoottimeNanos, Count = (uint)mappings.Length };
        var records = (MappingRecord*)value.Mappings;
        for (var i = 0; i < mappings.Length; i++)
        {
            var mapping = mappings[i];
            records[i] = new MappingRecord { Start = mapping.Start, End = mapping.End, Bias = mapping.Bias, TableId = mapping.TableId, Rows = mapping.Rows };
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
