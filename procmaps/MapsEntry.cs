namespace Collector.ProcMaps;

/// <summary>What a <c>/proc/&lt;pid&gt;/maps</c> line maps: a file, nothing, or something the kernel names.</summary>
public enum MapsEntryKind
{
    /// <summary>A regular file (path starts with '/', inode not 0): it can be opened and identified.</summary>
    File,

    /// <summary>Anonymous memory without a name.</summary>
    Anonymous,

    /// <summary>Anonymous memory named by its owner (<c>[anon:...]</c>, or <c>[anon_shmem:...]</c>).</summary>
    NamedAnonymous,

    /// <summary>A <c>memfd_create</c> file (<c>/memfd:doublemapper</c> for .NET's JIT): no path to open.</summary>
    Memfd,

    /// <summary>Kernel-provided areas (<c>[vdso]</c>, <c>[vsyscall]</c>, <c>[heap]</c>, ...) and device nodes.</summary>
    Special,
}

/// <summary>
/// One line of <c>/proc/&lt;pid&gt;/maps</c>. <see cref="Path"/> is the path as the kernel printed it, without
/// the <c> (deleted)</c> suffix (recorded in <see cref="Deleted"/>).
/// </summary>
public readonly record struct MapsEntry(
    ulong Start,
    ulong End,
    bool Executable,
    ulong Offset,
    uint DeviceMajor,
    uint DeviceMinor,
    ulong Inode,
    string Path,
    bool Deleted)
{
    public MapsEntryKind Kind
    {
        get
        {
            if (Path.Length == 0) return MapsEntryKind.Anonymous;
            if (Path.StartsWith("[anon", StringComparison.Ordinal)) return MapsEntryKind.NamedAnonymous;
            if (Path[0] == '[') return MapsEntryKind.Special;
            if (Path.StartsWith("/memfd:", StringComparison.Ordinal)) return MapsEntryKind.Memfd;
            // Device nodes (/dev/zero, GPU drivers) are not files to open and hash; /dev/shm holds regular ones.
            if (Path.StartsWith("/dev/", StringComparison.Ordinal) && !Path.StartsWith("/dev/shm/", StringComparison.Ordinal)) return MapsEntryKind.Special;
            return Path[0] == '/' && Inode != 0 ? MapsEntryKind.File : MapsEntryKind.Special;
        }
    }

    public FileIdentity Identity => new(((ulong)DeviceMajor << 32) | DeviceMinor, Inode);
}

/// <summary>A file as the kernel knows it: device and inode. Two mappings of one identity are one file.</summary>
public readonly record struct FileIdentity(ulong Device, ulong Inode);
