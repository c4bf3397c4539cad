using System.Runtime.InteropServices;

namespace Collector.Exporters.Sending.Persistent;

/// <summary>
/// fsync of a directory, which .NET offers no API for (it refuses to open directories). A file created or
/// renamed is durable only once its directory entry is: without this, a power cut after "acknowledged" could
/// leave the record's data on disk but no name pointing at it.
/// </summary>
internal static class DirectorySync
{
    // O_RDONLY. Linux opens a directory read-only without O_DIRECTORY, whose value differs between architectures.
    private const int ReadOnly = 0;

    public static void Flush(string directory)
    {
        if (!OperatingSystem.IsLinux()) return;
        var fd = Open(directory, ReadOnly);
        if (fd < 0) throw new IOException($"could not open directory {directory} to sync it (errno {Marshal.GetLastPInvokeError()})");
        try
        {
            if (Fsync(fd) != 0) throw new IOException($"fsync of directory {directory} failed (errno {Marshal.GetLastPInvokeError()})");
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int Open(string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int Fsync(int fd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);
}
