using System.Globalization;
using Collector.Core.Model;
using Collector.ProcMaps;
using Microsoft.Win32.SafeHandles;

namespace Collector.Processors.PidLifecycle;

/// <summary>
/// The mapped files the process table holds open: one <see cref="HeldExecutable"/> per (device, inode), shared
/// across processes, reference-counted by the process images that map it. A file nobody refers to any more is
/// closed by <see cref="ClosePending"/>, which the processor calls once the batch that last used it has gone
/// downstream; a file mapped again before that is simply taken back.
/// <para>Build ids are computed once per (device, inode, size, mtime) and remembered beyond the file's life, and
/// every GNU build id seen is indexed, so frames known only by the kernel's (build id, offset) still find a
/// file, or at least its path.</para>
/// <para>Not thread-safe: the processor calls it under its lock.</para>
/// </summary>
internal sealed class FileTable(ProcReader proc, IBuildIdReader buildIds) : IDisposable
{
    private const int RememberedCapacity = 16_384;

    private readonly Dictionary<FileIdentity, HeldExecutable> _byIdentity = [];
    private readonly Dictionary<KernelBuildId, HeldExecutable> _byGnuBuildId = [];
    private readonly List<HeldExecutable> _unreferenced = [];
    private readonly BoundedMap<(FileIdentity Identity, long Size, DateTime Modified), FileBuildId?> _buildIdCache = new(RememberedCapacity);
    private readonly BoundedMap<KernelBuildId, (string Path, long Size, string BuildId)> _pathsByGnuBuildId = new(RememberedCapacity);
    private readonly BoundedMap<FileIdentity, bool> _learned = new(RememberedCapacity);

    /// <summary>Files held open right now (referenced, or waiting to be closed).</summary>
    public int OpenCount { get; private set; }

    /// <summary>Build ids computed (cache misses): what it cost to identify files.</summary>
    public long BuildIdReads { get; private set; }

    /// <summary>
    /// The file an executable mapping of <paramref name="pid"/> shows, opened once per identity and counted as
    /// referenced once more; null when it cannot be opened as that very file.
    /// </summary>
    public HeldExecutable? Acquire(int pid, in MapsEntry entry)
    {
        var identity = entry.Identity;
        if (!_byIdentity.TryGetValue(identity, out var file))
        {
            var handle = OpenMapped(pid, entry);
            if (handle is null) return null;
            file = Identify(handle, entry.Path, identity);
            _byIdentity.Add(identity, file);
        }
        file.References++;
        return file;
    }

    /// <summary>
    /// The file an exec event names, for a process whose maps could not be read: opened through the process's
    /// root when it still exists, else by path. Indexed by build id only (its device and inode are unknown).
    /// </summary>
    public HeldExecutable? AcquireByPath(int pid, string path)
    {
        if (path.Length == 0 || path[0] != '/') return null;
        var handle = TryOpen(proc.ProcessDirectory(pid) + "/root" + path, expectedInode: null) ?? TryOpen(path, expectedInode: null);
        if (handle is null) return null;
        var file = Identify(handle, path, identity: null);
        if (file.BuildId?.Gnu is not { } gnu)
        {
            // Without maps it can only serve the kernel's build-id frames, which need a GNU build id.
            file.Dispose();
            OpenCount--;
            return null;
        }
        if (_byGnuBuildId.TryGetValue(gnu, out var known) && known.IsOpen && !ReferenceEquals(known, file))
        {
            // Already held under its maps identity: share that one.
            file.Dispose();
            OpenCount--;
            file = known;
        }
        file.References++;
        return file;
    }

    public void Release(HeldExecutable file)
    {
        if (--file.References > 0) return;
        _unreferenced.Add(file);
    }

    /// <summary>
    /// Indexes the GNU build ids of the files a live process maps, by path, without holding them: the libraries
    /// a process that exited too soon to be read shares with the processes still running (libc, the loader).
    /// Each file identity is opened and its build id read once; files already known are skipped.
    /// </summary>
    public void Learn(int pid, IReadOnlyList<MapsEntry> maps)
    {
        foreach (var entry in maps)
        {
            if (entry.Kind != MapsEntryKind.File || _byIdentity.ContainsKey(entry.Identity) || _learned.TryGetValue(entry.Identity, out _)) continue;
            using var handle = OpenMapped(pid, entry);
            if (handle is null) continue;
            // Only a file actually opened is skipped next time; one that could not be may be readable later.
            _learned.Set(entry.Identity, true);
            if (BuildIdOf(handle, entry.Path, entry.Identity, out var size) is { Gnu: { } gnu } buildId && !_pathsByGnuBuildId.TryGetValue(gnu, out _))
            {
                _pathsByGnuBuildId.Set(gnu, (entry.Path, size, buildId.Value));
            }
        }
    }

    /// <summary>A held file with this GNU build id, or else the path and size of one seen before (its handle let go).</summary>
    /// <remarks><paramref name="hex"/> is the file's own build id attribute value (the note's length, not the kernel's padded 20 bytes).</remarks>
    public bool TryFindByBuildId(KernelBuildId buildId, out HeldExecutable? file, out string path, out long size, out string hex)
    {
        if (_byGnuBuildId.TryGetValue(buildId, out file) && file.IsOpen && file.BuildId is { } known)
        {
            path = file.Path;
            size = file.Size;
            hex = known.Value;
            return true;
        }
        file = null;
        if (_pathsByGnuBuildId.TryGetValue(buildId, out var seen))
        {
            (path, size, hex) = seen;
            return true;
        }
        path = "";
        size = 0;
        hex = "";
        return false;
    }

    /// <summary>Closes the files no process image refers to any more; returns how many were closed.</summary>
    public int ClosePending()
    {
        var closed = 0;
        foreach (var file in _unreferenced)
        {
            if (file.References > 0) continue;
            if (file.Identity is { } identity && _byIdentity.TryGetValue(identity, out var held) && ReferenceEquals(held, file))
            {
                _byIdentity.Remove(identity);
            }
            if (file.BuildId?.Gnu is { } gnu && _byGnuBuildId.TryGetValue(gnu, out var indexed) && ReferenceEquals(indexed, file))
            {
                _byGnuBuildId.Remove(gnu);
            }
            if (file.IsOpen)
            {
                closed++;
                OpenCount--;
            }
            file.Dispose();
        }
        _unreferenced.Clear();
        return closed;
    }

    public void Dispose()
    {
        foreach (var file in _byIdentity.Values) file.Dispose();
        foreach (var file in _byGnuBuildId.Values) file.Dispose();
        foreach (var file in _unreferenced) file.Dispose();
        _byIdentity.Clear();
        _byGnuBuildId.Clear();
        _unreferenced.Clear();
        OpenCount = 0;
    }

    private HeldExecutable Identify(SafeFileHandle handle, string path, FileIdentity? identity)
    {
        var buildId = BuildIdOf(handle, path, identity, out var size);
        var file = new HeldExecutable(identity, path, handle, size, buildId);
        OpenCount++;
        if (buildId?.Gnu is { } gnu)
        {
            // Copies of one binary share a build id: the one already indexed stays while anyone uses it.
            if (!_byGnuBuildId.TryGetValue(gnu, out var indexed) || indexed.References == 0 || !indexed.IsOpen) _byGnuBuildId[gnu] = file;
            _pathsByGnuBuildId.Set(gnu, (path, size, buildId.Value));
        }
        return file;
    }

    /// <summary>The file's build id, read once per (device, inode, size, mtime) when the identity is known.</summary>
    private FileBuildId? BuildIdOf(SafeFileHandle handle, string path, FileIdentity? identity, out long size)
    {
        DateTime modified;
        try
        {
            size = RandomAccess.GetLength(handle);
            modified = File.GetLastWriteTimeUtc(handle);
        }
        catch (Exception error) when (ProcReader.IsGone(error))
        {
            size = 0;
            modified = default;
        }
        if (identity is { } known && _buildIdCache.TryGetValue((known, size, modified), out var cached)) return cached;
        BuildIdReads++;
        var buildId = buildIds.Read(handle, path);
        if (identity is { } key) _buildIdCache.Set((key, size, modified), buildId);
        return buildId;
    }

    /// <summary>
    /// map_files names the mapped file itself (whatever happened to its path, in any mount namespace); the
    /// process's root and the bare path are fallbacks, checked to still be the mapped inode.
    /// </summary>
    private SafeFileHandle? OpenMapped(int pid, in MapsEntry entry)
    {
        var directory = proc.ProcessDirectory(pid);
        var range = entry.Start.ToString("x", CultureInfo.InvariantCulture) + "-" + entry.End.ToString("x", CultureInfo.InvariantCulture);
        return TryOpen(directory + "/map_files/" + range, expectedInode: null)
            ?? TryOpen(directory + "/root" + entry.Path, entry.Inode)
            ?? (entry.Deleted ? null : TryOpen(entry.Path, entry.Inode));
    }

    private static SafeFileHandle? TryOpen(string path, ulong? expectedInode)
    {
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception error) when (ProcReader.IsGone(error))
        {
            return null;
        }
        if (expectedInode is { } inode && FdInfo.ReadInode(handle) is { } actual && actual != inode)
        {
            // The path now names another file (replaced by a package upgrade, or a fake path): not what was mapped.
            handle.Dispose();
            return null;
        }
        return handle;
    }
}
