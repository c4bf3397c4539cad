using Collector.Bpf;
using Collector.Core.Model;
using Collector.Unwinding.Table;

namespace Collector.Receivers.Ebpf.Unwinding;

/// <summary>
/// One file's table as the cache holds it: the kernel's table id and size, the load segments (to compute a mapping's
/// bias), and who uses it. The rows themselves live only in the kernel. Used by the unwinder's worker thread only.
/// </summary>
internal sealed class CachedTable(TableKey key, uint tableId, UnwindTableShape shape, long kernelBytes, LoadBias? bias)
{
    public TableKey Key { get; } = key;

    /// <summary>0 when the file has no table (no call-frame information, unreadable, refused, or evicted).</summary>
    public uint TableId { get; private set; } = tableId;

    /// <summary>Rows and index of the loaded table, as the kernel's mappings must describe it.</summary>
    public UnwindTableShape Shape { get; private set; } = shape;

    public long KernelBytes { get; private set; } = kernelBytes;

    public LoadBias? Bias { get; } = bias;

    /// <summary>The file's GNU build id (empty when it has none): what frames in it are named by once its process is gone.</summary>
    public KernelBuildId BuildId { get; init; }

    /// <summary>Tracked processes mapping the file.</summary>
    public int References { get; set; }

    /// <summary>When a process last started to use it, or stopped (TimeProvider timestamp): the LRU order.</summary>
    public long LastUsed { get; set; }

    public bool Loaded => TableId != 0;

    /// <summary>The kernel no longer has the rows; mappings of it are stepped by frame pointer.</summary>
    public void MarkUnloaded()
    {
        TableId = 0;
        Shape = UnwindTableShape.None;
        KernelBytes = 0;
    }
}
