using Collector.Bpf;
using Collector.Core.Model;
using Collector.Unwinding;
using Collector.Unwinding.Elf;
using Microsoft.Win32.SafeHandles;

namespace Collector.Receivers.Ebpf.Unwinding;

/// <summary>
/// Unwind tables by file, built once and shared by every process that maps the file. Tables are built and loaded
/// into the kernel on the unwinder's worker, never on the sampling path. The kernel memory they take is bounded by
/// a budget: over it, the least recently used tables are unloaded (those no process maps first). A table no process
/// maps any more stays for <c>linger</c> (short-lived processes of one executable reuse it), then goes.
/// <para>Used by the worker thread only; the counters may be read from any thread.</para>
/// </summary>
internal sealed class UnwindTableCache(UnwindMaps maps, long budgetBytes, TimeSpan linger, TimeProvider time)
{
    /// <summary>Larger files get no table (their code is stepped by frame pointer): parsing call-frame sections that large would hold the worker up.</summary>
    public const long MaxFileBytes = 1L << 30;

    private readonly Dictionary<TableKey, CachedTable> _tables = [];
    private long _kernelBytes;
    private long _loaded;
    private long _evictions;
    private long _failures;

    public long KernelBytes => Interlocked.Read(ref _kernelBytes);

    public long LoadedTables => Interlocked.Read(ref _loaded);

    public long Evictions => Interlocked.Read(ref _evictions);

    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>The errno of the last table the kernel refused (0: none), for the log and tests.</summary>
    public int LastRefusal { get; private set; }

    public bool TryGet(TableKey key, out CachedTable table) => _tables.TryGetValue(key, out table!);

    /// <summary>
    /// Builds the table of a file (opened by <paramref name="open"/>, null when it could not be) and loads it. Only the
    /// file's headers, call-frame sections and build id note are read. A file that yields no table is remembered as
    /// such, so it is not read again while cached.
    /// </summary>
    public CachedTable Build(TableKey key, Func<SafeFileHandle?> open, out List<CachedTable> evicted)
    {
        evicted = [];
        using var file = open();
        CachedTable table;
        if (file is null)
        {
            table = Failed(key, null, default);
        }
        else
        {
            // Never throws for bad input: problems are counted in the table's issues, uncovered code uses frame pointers.
            var built = UnwindTableBuilder.Build(file);
            var buildId = ElfBuildId.Read(file) is { IsEmpty: false } note ? KernelBuildId.FromBytes(note.Span) : default;
            var rows = built.Rows.Length;
            if (rows == 0 || rows > UnwindMaps.MaxRowsPerTable || built.Index is not { } index)
            {
                table = Failed(key, built.LoadBias, buildId);
            }
            else
            {
                var buffer = new byte[built.SizeInBytes];
                built.WriteTo(buffer);
                var shape = new UnwindTableShape((uint)rows, index.Base, (uint)index.Count, index.Shift);
                var id = maps.AddTable(buffer, shape, out var error);
                if (id == 0)
                {
                    LastRefusal = error;
                    table = Failed(key, built.LoadBias, buildId);
                }
                else
                {
                    table = new CachedTable(key, id, shape, shape.Slots * UnwindMaps.KernelBytesPerSlot, built.LoadBias) { BuildId = buildId };
                    Interlocked.Add(ref _kernelBytes, table.KernelBytes);
                    Interlocked.Increment(ref _loaded);
                }
            }
        }
        table.LastUsed = time.GetTimestamp();
        _tables[key] = table;
        evicted = EvictOverBudget(table);
        return table;
    }

    /// <summary>Unloads tables nobody has mapped for longer than the linger time.</summary>
    public void Sweep()
    {
        List<TableKey>? gone = null;
        foreach (var (key, table) in _tables)
        {
            if (table.References == 0 && time.GetElapsedTime(table.LastUsed) >= linger)
            {
                (gone ??= []).Add(key);
            }
        }
        foreach (var key in gone ?? [])
        {
            Unload(_tables[key]);
            _tables.Remove(key);
        }
    }

    /// <summary>Unloads every table (shutdown).</summary>
    public void Clear()
    {
        foreach (var table in _tables.Values)
        {
            Unload(table);
        }
        _tables.Clear();
    }

    private CachedTable Failed(TableKey key, Collector.Unwinding.Table.LoadBias? bias, KernelBuildId buildId)
    {
        Interlocked.Increment(ref _failures);
        return new CachedTable(key, 0, UnwindTableShape.None, 0, bias) { BuildId = buildId };
    }

    /// <summary>While over budget, unloads the least recently used table other than <paramref name="keep"/>; returns those still mapped.</summary>
    private List<CachedTable> EvictOverBudget(CachedTable keep)
    {
        var evicted = new List<CachedTable>();
        while (KernelBytes > budgetBytes)
        {
            CachedTable? victim = null;
            foreach (var table in _tables.Values)
            {
                if (!table.Loaded || ReferenceEquals(table, keep))
                {
                    continue;
                }
                // Unmapped tables go before mapped ones; within each, the least recently used.
                if (victim is null || (table.References == 0 && victim.References > 0)
                    || ((table.References == 0) == (victim.References == 0) && table.LastUsed < victim.LastUsed))
                {
                    victim = table;
                }
            }
            if (victim is null)
            {
                break;
            }
            Unload(victim);
            Interlocked.Increment(ref _evictions);
            if (victim.References > 0)
            {
                evicted.Add(victim);
            }
            else
            {
                _tables.Remove(victim.Key);
            }
        }
        return evicted;
    }

    private void Unload(CachedTable table)
    {
        if (!table.Loaded)
        {
            return;
        }
        maps.RemoveTable(table.TableId);
        Interlocked.Add(ref _kernelBytes, -table.KernelBytes);
        Interlocked.Decrement(ref _loaded);
        table.MarkUnloaded();
    }
}
