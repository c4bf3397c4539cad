using System.Globalization;

namespace Collector.Processors.MemoryLimiter;

/// <summary>What the limiter measures and the one thing it can do about it; tests substitute their own.</summary>
internal interface IProcessMemory
{
    /// <summary>The memory the process uses now, in bytes.</summary>
    long UsedBytes();

    /// <summary>Forces a full, compacting garbage collection; <paramref name="returnToSystem"/> also gives free memory back to the OS at once.</summary>
    void Collect(bool returnToSystem);
}

/// <summary>
/// The process's resident set size, read from <c>/proc/self/statm</c>.
/// <para>Why RSS and not the managed heap (<c>GC.GetTotalMemory</c>, <c>GC.GetGCMemoryInfo</c>), although the
/// Collector measures the Go heap: a limit is set to keep the process clear of its container's limit and the OOM
/// killer, and both count resident pages. The managed heap figures leave out what the garbage collector has
/// committed and not yet given back, the runtime and JIT-compiled code, and native buffers, so a limit on them
/// says little about what the cgroup sees. Here <c>limit_mib</c> means what <c>ps</c> and the cgroup show, and
/// must leave room for the process's own baseline. Reading statm is one small procfs read at each
/// <c>check_interval</c>; nothing is read per batch.</para>
/// </summary>
internal sealed class ProcessMemory : IProcessMemory
{
    private const string Statm = "/proc/self/statm";

    private readonly byte[] _buffer = new byte[128];

    public long UsedBytes()
    {
        // statm: "size resident shared text lib data dt", in pages. Called from one timer at a time.
        try
        {
            using var file = new FileStream(Statm, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
            var length = file.Read(_buffer);
            var text = System.Text.Encoding.ASCII.GetString(_buffer, 0, length);
            var fields = text.Split(' ', 3);
            if (fields.Length >= 2 && long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var pages))
            {
                return pages * Environment.SystemPageSize;
            }
        }
        catch (IOException)
        {
            // Not Linux, or procfs not mounted: fall through to the runtime's own figure.
        }
        catch (UnauthorizedAccessException)
        {
        }
        return Environment.WorkingSet;
    }

    public void Collect(bool returnToSystem)
    {
        // Aggressive also decommits the memory freed, so RSS falls now rather than over the next collections; it
        // costs more (a full blocking compaction), which is why the limiter saves it for the hard limit.
        if (returnToSystem) GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        else
        {
            // Request buffers of a gateway are large objects; without this their heap is swept, never compacted.
            System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        }
    }
}
