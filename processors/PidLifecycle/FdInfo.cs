using System.Globalization;
using Microsoft.Win32.SafeHandles;

namespace Collector.Processors.PidLifecycle;

/// <summary>
/// Facts about a handle this process holds, from <c>/proc/self/fd</c> and <c>/proc/self/fdinfo</c> (always the
/// real /proc: the handle is ours). This is how the file behind a handle is checked and reopened without
/// native calls.
/// </summary>
internal static class FdInfo
{
    /// <summary>The path that reopens the held file, even after it was deleted or replaced on disk.</summary>
    public static string ReopenPath(SafeFileHandle handle) =>
        "/proc/self/fd/" + handle.DangerousGetHandle().ToInt64().ToString(CultureInfo.InvariantCulture);

    /// <summary>The inode of the open file (the <c>ino:</c> line, Linux 5.14+), or null when not shown.</summary>
    public static ulong? ReadInode(SafeFileHandle handle)
    {
        string text;
        try
        {
            text = File.ReadAllText("/proc/self/fdinfo/" + handle.DangerousGetHandle().ToInt64().ToString(CultureInfo.InvariantCulture));
        }
        catch (Exception error) when (ProcReader.IsGone(error))
        {
            return null;
        }
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            if (line.StartsWith("ino:", StringComparison.Ordinal) &&
                ulong.TryParse(line[4..].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var inode))
            {
                return inode;
            }
        }
        return null;
    }
}
