using Collector.Processors.MemoryLimiter;

namespace Collector.Processors.Tests.MemoryLimiter;

/// <summary>limit_percentage's base: the cgroup's limit when set (v2 or v1), else the machine's memory, never more than it.</summary>
public sealed class AvailableMemoryTests : IDisposable
{
    private const long Gib = 1024L * 1024 * 1024;

    private readonly string _root = Directory.CreateTempSubdirectory("available-memory-").FullName;

    public AvailableMemoryTests() => Write("proc/meminfo", "MemTotal:       16777216 kB\nMemFree:         1000 kB\n");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Without_a_cgroup_limit_it_is_memtotal()
    {
        Write("proc/self/cgroup", "0::/user.slice/app.scope\n");
        Write("sys/fs/cgroup/user.slice/app.scope/memory.max", "max\n");

        Assert.Equal(16 * Gib, AvailableMemory.Read(_root));
    }

    [Fact]
    public void A_cgroup_v2_limit_of_the_own_cgroup_wins()
    {
        Write("proc/self/cgroup", "0::/kubepods/pod1/ctr\n");
        Write("sys/fs/cgroup/kubepods/pod1/ctr/memory.max", $"{2 * Gib}\n");

        Assert.Equal(2 * Gib, AvailableMemory.Read(_root));
    }

    [Fact]
    public void Inside_a_container_the_cgroup_root_is_read()
    {
        Write("proc/self/cgroup", "0::/\n");
        Write("sys/fs/cgroup/memory.max", $"{Gib}\n");

        Assert.Equal(Gib, AvailableMemory.Read(_root));
    }

    [Fact]
    public void A_cgroup_v1_limit_counts_and_its_no_limit_value_does_not()
    {
        Write("proc/self/cgroup", "4:memory:/docker/abc\n0::/\n");
        Write("sys/fs/cgroup/memory/docker/abc/memory.limit_in_bytes", $"{3 * Gib}\n");
        Assert.Equal(3 * Gib, AvailableMemory.Read(_root));

        Write("sys/fs/cgroup/memory/docker/abc/memory.limit_in_bytes", "9223372036854771712\n");
        Assert.Equal(16 * Gib, AvailableMemory.Read(_root));
    }

    [Fact]
    public void Without_meminfo_it_says_to_use_limit_mib()
    {
        File.Delete(Path.Combine(_root, "proc/meminfo"));

        var error = Assert.Throws<InvalidOperationException>(() => AvailableMemory.Read(_root));
        Assert.Contains("use limit_mib instead", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void On_this_machine_it_is_positive_and_at_most_memtotal()
    {
        var available = AvailableMemory.Read();

        Assert.InRange(available, 1, long.MaxValue);
    }

    private void Write(string relative, string text)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}
