using System.Globalization;
using Collector.ProcMaps;

namespace Collector.Processors.PidLifecycle;

/// <summary>
/// Reads processes from a /proc tree (the real one, or a fake one in tests). A process can exit, or its pid be
/// reused, between any two reads: every failure means "not the process asked for" and yields null, never an
/// exception, and the start time is read before and after the other files so a reuse in between is noticed.
/// </summary>
internal sealed class ProcReader(string root)
{
    public string Root { get; } = root;

    public string ProcessDirectory(int pid) => Path.Combine(Root, pid.ToString(CultureInfo.InvariantCulture));

    /// <summary>The start time /proc shows for the pid now, or null when there is no such process.</summary>
    public ulong? ReadStartTicks(int pid)
    {
        var text = ReadText(Path.Combine(ProcessDirectory(pid), "stat"));
        return text is not null && StatParser.TryParseStartTicks(text, out var ticks) ? ticks : null;
    }

    /// <summary>
    /// The process, when /proc's pid currently is the one that started at <paramref name="expectedStartTicks"/>
    /// (null: accept whichever it is). Null when gone, unreadable or another process (pid reuse).
    /// </summary>
    public ProcessSnapshot? Read(int pid, ulong? expectedStartTicks, out int skippedMapsLines)
    {
        skippedMapsLines = 0;
        var directory = ProcessDirectory(pid);
        if (ReadStartTicks(pid) is not { } before || (expectedStartTicks is { } expected && expected != before)) return null;
        var maps = ReadText(Path.Combine(directory, "maps"));
        if (maps is null) return null;
        var comm = ReadText(Path.Combine(directory, "comm"))?.TrimEnd('\n') ?? "";
        var cgroup = ReadText(Path.Combine(directory, "cgroup"));
        var exe = ReadLink(Path.Combine(directory, "exe"));
        if (ReadStartTicks(pid) != before) return null;
        var executable = MapsParser.Parse(maps, out skippedMapsLines).FindAll(entry => entry.Executable);
        return new ProcessSnapshot(before, comm, exe, cgroup is null ? null : ContainerIdParser.FromCgroupFile(cgroup), executable);
    }

    /// <summary>Only the maps, for a rescan of a process already known (same start time checks).</summary>
    public IReadOnlyList<MapsEntry>? ReadMaps(int pid, ulong? expectedStartTicks, out int skippedMapsLines)
    {
        skippedMapsLines = 0;
        if (ReadStartTicks(pid) is not { } before || (expectedStartTicks is { } expected && expected != before)) return null;
        var maps = ReadText(Path.Combine(ProcessDirectory(pid), "maps"));
        if (maps is null || ReadStartTicks(pid) != before) return null;
        return MapsParser.Parse(maps, out skippedMapsLines).FindAll(entry => entry.Executable);
    }

    /// <summary>The pids /proc lists now (an empty list when it cannot be read).</summary>
    public List<int> ListPids()
    {
        var pids = new List<int>();
        try
        {
            foreach (var directory in Directory.EnumerateDirectories(Root))
            {
                if (int.TryParse(Path.GetFileName(directory.AsSpan()), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) pids.Add(pid);
            }
        }
        catch (Exception error) when (IsGone(error))
        {
        }
        return pids;
    }

    private static string? ReadText(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception error) when (IsGone(error))
        {
            return null;
        }
    }

    private static string? ReadLink(string path)
    {
        try
        {
            var target = new FileInfo(path).LinkTarget;
            return target?.EndsWith(" (deleted)", StringComparison.Ordinal) == true ? target[..^" (deleted)".Length] : target;
        }
        catch (Exception error) when (IsGone(error))
        {
            return null;
        }
    }

    /// <summary>FileNotFound/DirectoryNotFound once reaped, ESRCH (an IOException) while being torn down, EACCES.</summary>
    internal static bool IsGone(Exception error) => error is IOException or UnauthorizedAccessException;
}
