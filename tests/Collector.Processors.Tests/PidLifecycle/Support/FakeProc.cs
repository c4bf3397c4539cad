using System.Globalization;
using Collector.Processors.PidLifecycle;

namespace Collector.Processors.Tests.PidLifecycle.Support;

/// <summary>
/// A fake /proc tree in a temporary directory (stat, maps, comm, cgroup, exe per pid) plus a directory of real
/// executables to map, so the processor can be driven through exec, exit and pid reuse deterministically.
/// </summary>
internal sealed class FakeProc : IDisposable
{
    public const ulong NanosPerTick = 10_000_000;

    // tmpfs when there is one: the churn test writes thousands of small files.
    private readonly string _directory = Path.Combine(Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath(), "pidlife-" + Guid.NewGuid().ToString("N"));

    public FakeProc()
    {
        Directory.CreateDirectory(Root);
        Directory.CreateDirectory(Binaries);
    }

    public string Root => Path.Combine(_directory, "proc");

    public string Binaries => Path.Combine(_directory, "bin");

    /// <summary>Copies a real ELF file (its build id comes along) under a new name.</summary>
    public string CopyExecutable(string source, string name)
    {
        var path = Path.Combine(Binaries, name);
        File.Copy(source, path);
        return path;
    }

    /// <summary>A process whose one executable mapping [start, end) at file offset <paramref name="offset"/> is <paramref name="executable"/>.</summary>
    public void AddProcess(int pid, ulong startTicks, string executable, ulong start = 0x400000, ulong end = 0x500000, ulong offset = 0x1000,
        string comm = "", string cgroup = "0::/\n", params string[] extraMaps)
    {
        var maps = new List<string> { MapsLine(start, end, "r-xp", offset, executable) };
        maps.AddRange(extraMaps);
        AddProcess(pid, startTicks, comm.Length > 0 ? comm : Path.GetFileName(executable), executable, maps, cgroup);
    }

    public void AddProcess(int pid, ulong startTicks, string comm, string? executable, IEnumerable<string> maps, string cgroup = "0::/\n")
    {
        var directory = Path.Combine(Root, pid.ToString(CultureInfo.InvariantCulture));
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "stat"),
            $"{pid} ({comm}) S 1 {pid} {pid} 0 -1 4194304 0 0 0 0 0 0 0 0 20 0 1 0 {startTicks} 1000 100 18446744073709551615 0 0 0 0 0\n");
        File.WriteAllText(Path.Combine(directory, "maps"), string.Join("\n", maps) + "\n");
        File.WriteAllText(Path.Combine(directory, "comm"), comm + "\n");
        File.WriteAllText(Path.Combine(directory, "cgroup"), cgroup);
        if (executable is not null) File.CreateSymbolicLink(Path.Combine(directory, "exe"), executable);
    }

    /// <summary>Rewrites a process's maps (dlopen) without changing anything else.</summary>
    public void SetMaps(int pid, params string[] maps) =>
        File.WriteAllText(Path.Combine(Root, pid.ToString(CultureInfo.InvariantCulture), "maps"), string.Join("\n", maps) + "\n");

    public void RemoveProcess(int pid)
    {
        var directory = Path.Combine(Root, pid.ToString(CultureInfo.InvariantCulture));
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
    }

    /// <summary>A maps line for a file, with the file's real inode (the processor checks it when it opens the path).</summary>
    public static string MapsLine(ulong start, ulong end, string perms, ulong offset, string path) =>
        string.Create(CultureInfo.InvariantCulture, $"{start:x}-{end:x} {perms} {offset:x8} fe:01 {InodeOf(path)}                    {path}");

    public static ulong InodeOf(string path)
    {
        using var handle = File.OpenHandle(path);
        return FdInfo.ReadInode(handle) ?? throw new InvalidOperationException("this kernel shows no inode in /proc/self/fdinfo");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
