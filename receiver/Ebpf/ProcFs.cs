using System.Globalization;

namespace Collector.Receivers.Ebpf;

/// <summary>
/// Reads process facts from /proc. A process can exit between any two reads; every such failure means "gone"
/// and yields null, never an exception.
/// </summary>
internal sealed class ProcFs(string root = "/proc") : IProcessInfoSource
{
    public ProcessInfo? Read(int pid)
    {
        var directory = Path.Combine(root, pid.ToString(CultureInfo.InvariantCulture));
        try
        {
            var startTicks = ParseStartTicks(File.ReadAllText(Path.Combine(directory, "stat")));
            var comm = File.ReadAllText(Path.Combine(directory, "comm")).TrimEnd('\n');
            var cgroups = File.ReadAllLines(Path.Combine(directory, "cgroup")).Select(CgroupPath).ToList();
            return new ProcessInfo(startTicks, comm, ReadExe(directory), cgroups);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or FormatException)
        {
            // FileNotFound/DirectoryNotFound when reaped, ESRCH (an IOException) while it is being torn down.
            return null;
        }
    }

    /// <summary>Field 22 (starttime); fields are counted after the parenthesised comm, which may hold spaces.</summary>
    internal static ulong ParseStartTicks(string stat)
    {
        var afterComm = stat.AsSpan(stat.LastIndexOf(')') + 1).Trim();
        var field = 3;
        foreach (var range in afterComm.Split(' '))
        {
            if (field++ == 22)
            {
                return ulong.Parse(afterComm[range], NumberStyles.None, CultureInfo.InvariantCulture);
            }
        }
        throw new FormatException("stat has fewer than 22 fields");
    }

    /// <summary>"hierarchy-id:controllers:path" → path (cgroup v1 lines and the v2 "0::path" line alike).</summary>
    internal static string CgroupPath(string line)
    {
        var second = line.IndexOf(':', line.IndexOf(':', StringComparison.Ordinal) + 1);
        return second < 0 ? line : line[(second + 1)..];
    }

    private static string? ReadExe(string directory)
    {
        try
        {
            return new FileInfo(Path.Combine(directory, "exe")).LinkTarget;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
