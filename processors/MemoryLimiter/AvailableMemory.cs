using System.Globalization;

namespace Collector.Processors.MemoryLimiter;

/// <summary>
/// The memory the process may use, for <c>limit_percentage</c>: its cgroup's limit when one is set (v2
/// <c>memory.max</c>, v1 <c>memory.limit_in_bytes</c>), else the machine's (<c>MemTotal</c> in /proc/meminfo),
/// and never more than the machine has (v1 reports "no limit" as a huge number).
/// </summary>
internal static class AvailableMemory
{
    /// <summary>Reads below <paramref name="root"/> ("/" on a real system; a test directory in tests).</summary>
    public static long Read(string root = "/")
    {
        var physical = ReadMemTotal(Path.Combine(root, "proc/meminfo"))
            ?? throw new InvalidOperationException($"cannot read MemTotal from {Path.Combine(root, "proc/meminfo")}: limit_percentage needs it; use limit_mib instead");
        var cgroup = ReadCgroupLimit(root);
        return cgroup is { } limit && limit < physical ? limit : physical;
    }

    private static long? ReadMemTotal(string path)
    {
        if (!File.Exists(path)) return null;
        foreach (var line in File.ReadLines(path))
        {
            if (!line.StartsWith("MemTotal:", StringComparison.Ordinal)) continue;
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return parts.Length >= 2 && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var kib) ? kib * 1024 : null;
        }
        return null;
    }

    /// <summary>
    /// The limit of the process's own cgroup (from /proc/self/cgroup), or of the root of the cgroup file system
    /// as a container sees it; null when none is set.
    /// </summary>
    private static long? ReadCgroupLimit(string root)
    {
        var cgroupFs = Path.Combine(root, "sys/fs/cgroup");
        var (v2Path, v1Path) = OwnCgroups(Path.Combine(root, "proc/self/cgroup"));
        var candidates = new List<string>();
        if (v2Path is not null) candidates.Add(Path.Combine(cgroupFs, v2Path.TrimStart('/'), "memory.max"));
        candidates.Add(Path.Combine(cgroupFs, "memory.max"));
        if (v1Path is not null) candidates.Add(Path.Combine(cgroupFs, "memory", v1Path.TrimStart('/'), "memory.limit_in_bytes"));
        candidates.Add(Path.Combine(cgroupFs, "memory", "memory.limit_in_bytes"));
        foreach (var file in candidates)
        {
            if (!File.Exists(file)) continue;
            var text = File.ReadAllText(file).Trim();
            // v2 says "max" for no limit.
            return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes) ? bytes : null;
        }
        return null;
    }

    /// <summary>The v2 path (line <c>0::/path</c>) and the v1 memory controller's path (<c>N:...memory...:/path</c>).</summary>
    private static (string? V2, string? V1) OwnCgroups(string path)
    {
        if (!File.Exists(path)) return (null, null);
        string? v2 = null, v1 = null;
        foreach (var line in File.ReadLines(path))
        {
            var parts = line.Split(':', 3);
            if (parts.Length != 3) continue;
            if (parts[0] == "0" && parts[1].Length == 0) v2 = parts[2];
            else if (parts[1].Split(',').Contains("memory", StringComparer.Ordinal)) v1 = parts[2];
        }
        return (v2, v1);
    }
}
