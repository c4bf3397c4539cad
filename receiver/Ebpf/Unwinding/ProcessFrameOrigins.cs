using System.Collections.Concurrent;
using Collector.Core.Model;
using Collector.ProcMaps;

namespace Collector.Receivers.Ebpf.Unwinding;

/// <summary>
/// The file (build id) and offset of every address in the executable file mappings of the processes the unwinder
/// tracks, for the poll thread. The kernel reports a frame's origin only for stacks it walked by frame pointer; a
/// stack the unwinder walked from its tables comes without, and a process that exits before pid_lifecycle reads its
/// maps (one that lives tens of milliseconds) would then lose the names of its frames. The worker publishes a
/// process's mappings before it writes them to the kernel, so every sample walked with them finds them here; they
/// are removed when the process is forgotten.
/// </summary>
internal sealed class ProcessFrameOrigins
{
    private readonly ConcurrentDictionary<int, Snapshot> _processes = new();

    /// <summary>Processes with published mappings.</summary>
    public int Count => _processes.Count;

    /// <summary>Publishes the file mappings of <paramref name="mappings"/> whose file has a build id (replacing any of the pid's before).</summary>
    public void Publish(int pid, ulong startBoottimeNanos, List<(MapsEntry Entry, CachedTable? Table)> mappings)
    {
        var files = new List<MappedFile>(mappings.Count);
        foreach (var (entry, table) in mappings)
        {
            if (entry.Kind == MapsEntryKind.File && table is { BuildId.IsEmpty: false })
            {
                files.Add(new MappedFile(entry.Start, entry.End, entry.Offset, table.BuildId));
            }
        }
        files.Sort((a, b) => a.Start.CompareTo(b.Start));
        _processes[pid] = new Snapshot(startBoottimeNanos, [.. files]);
    }

    public void Remove(int pid) => _processes.TryRemove(pid, out _);

    /// <summary>
    /// Writes the origin of each of <paramref name="frames"/> into <paramref name="origins"/> (unknown where no
    /// published file mapping holds it); false, with nothing written, when the process (this pid with this start
    /// time) has none published or no frame lies in one.
    /// </summary>
    public bool TryFill(int pid, ulong startBoottimeNanos, ReadOnlySpan<ulong> frames, Span<UserFrameOrigin> origins)
    {
        if (!_processes.TryGetValue(pid, out var snapshot) || snapshot.StartBoottimeNanos != startBoottimeNanos || snapshot.Files.Length == 0)
        {
            return false;
        }
        var known = false;
        for (var i = 0; i < frames.Length; i++)
        {
            var file = Find(snapshot.Files, frames[i]);
            known |= file >= 0;
            origins[i] = file < 0 ? default : new UserFrameOrigin(snapshot.Files[file].BuildId, frames[i] - snapshot.Files[file].Start + snapshot.Files[file].FileOffset);
        }
        return known;
    }

    private static int Find(MappedFile[] files, ulong address)
    {
        int low = 0, high = files.Length - 1;
        while (low <= high)
        {
            var middle = (low + high) >>> 1;
            if (address < files[middle].Start) high = middle - 1;
            else if (address >= files[middle].End) low = middle + 1;
            else return middle;
        }
        return -1;
    }

    private sealed record Snapshot(ulong StartBoottimeNanos, MappedFile[] Files);

    private readonly record struct MappedFile(ulong Start, ulong End, ulong FileOffset, KernelBuildId BuildId);
}
