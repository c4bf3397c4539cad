using System.Globalization;

namespace Collector.Processors.Symbolization.Runtimes;

/// <summary>
/// Files of a process seen from the collector: its own <c>/tmp</c> through <c>/proc/&lt;pid&gt;/root</c> (a
/// container's, when it runs in one), the pid it has in its namespace, and its environment.
/// </summary>
internal static class ProcessPaths
{
    public static string Directory(string procRoot, int pid) => Path.Combine(procRoot, pid.ToString(CultureInfo.InvariantCulture));

    /// <summary>The process's <c>/tmp</c>, through its root so a container's is found too.</summary>
    public static string Tmp(string procRoot, int pid) => Path.Combine(Directory(procRoot, pid), "root", "tmp");

    /// <summary>
    /// The process's <c>/tmp</c> by a path that still works after it exits: plain <c>/tmp</c> when it shares the
    /// collector's mount namespace and root, so a file put there for it can be removed even if it died meanwhile;
    /// through its root (<see cref="Tmp"/>) otherwise, which is gone with the process.
    /// </summary>
    public static string DurableTmp(string procRoot, int pid)
    {
        try
        {
            var directory = Directory(procRoot, pid);
            var mounts = new FileInfo(Path.Combine(directory, "ns", "mnt")).LinkTarget;
            var own = new FileInfo(Path.Combine(procRoot, "self", "ns", "mnt")).LinkTarget;
            var root = new FileInfo(Path.Combine(directory, "root")).LinkTarget;
            if (mounts is not null && mounts == own && root == "/") return "/tmp";
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // Gone or not ours to read: the path through its root is all there is.
        }
        return Tmp(procRoot, pid);
    }

    /// <summary>The pid the process has in its own pid namespace (last field of <c>NSpid:</c> in its status); its own pid when that cannot be read.</summary>
    public static int NamespacePid(string procRoot, int pid)
    {
        try
        {
            foreach (var line in File.ReadLines(Path.Combine(Directory(procRoot, pid), "status")))
            {
                if (!line.StartsWith("NSpid:", StringComparison.Ordinal)) continue;
                var fields = line.AsSpan("NSpid:".Length).Trim();
                var last = fields.LastIndexOfAny(' ', '\t');
                return int.TryParse(fields[(last + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var inner) ? inner : pid;
            }
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // The process is gone or hidden: its own pid is the best guess.
        }
        return pid;
    }

    /// <summary>The value of an environment variable the process started with, or null (unset, unreadable, or the process is gone).</summary>
    public static string? Environment(string procRoot, int pid, string name)
    {
        try
        {
            var text = File.ReadAllText(Path.Combine(Directory(procRoot, pid), "environ"));
            foreach (var entry in text.Split('\0'))
            {
                if (entry.Length > name.Length && entry[name.Length] == '=' && entry.StartsWith(name, StringComparison.Ordinal)) return entry[(name.Length + 1)..];
            }
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // Treated as unset.
        }
        return null;
    }

    /// <summary>
    /// When the process started, to the second: field 22 of its stat (clock ticks since boot, USER_HZ 100) after
    /// the boot time in <c>/proc/stat</c>. Null when either cannot be read.
    /// </summary>
    public static DateTime? StartTime(string procRoot, int pid)
    {
        try
        {
            var stat = File.ReadAllText(Path.Combine(Directory(procRoot, pid), "stat"));
            // The command name may hold spaces and parentheses; fields are counted after its closing one.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (fields.Length < 20 || !ulong.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)) return null;
            foreach (var line in File.ReadLines(Path.Combine(procRoot, "stat")))
            {
                if (line.StartsWith("btime ", StringComparison.Ordinal) &&
                    long.TryParse(line.AsSpan(6), NumberStyles.None, CultureInfo.InvariantCulture, out var boot))
                {
                    return DateTime.UnixEpoch.AddSeconds(boot + ticks / 100.0);
                }
            }
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // Gone or hidden.
        }
        return null;
    }
}
