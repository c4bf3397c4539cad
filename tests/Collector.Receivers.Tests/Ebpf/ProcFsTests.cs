using System.Diagnostics;
using Collector.Receivers.Ebpf;

namespace Collector.Receivers.Tests.Ebpf;

public class ProcFsTests
{
    [Fact]
    public void Start_time_is_field_22_even_when_the_name_holds_spaces_and_parentheses()
    {
        var stat = "1234 (my (odd) name) S 1 1234 1234 0 -1 4194560 100 0 0 0 5 6 0 0 20 0 1 0 987654 1000 10 18446744073709551615";
        Assert.Equal(987654UL, ProcFs.ParseStartTicks(stat));
    }

    [Theory]
    [InlineData("0::/user.slice/session-1.scope", "/user.slice/session-1.scope")]
    [InlineData("12:cpu,cpuacct:/docker/abc", "/docker/abc")]
    [InlineData("1:name=systemd:/", "/")]
    public void Cgroup_lines_yield_their_path(string line, string path) => Assert.Equal(path, ProcFs.CgroupPath(line));

    [Fact]
    public void Reads_this_process()
    {
        var info = new ProcFs().Read(Environment.ProcessId);
        Assert.NotNull(info);
        Assert.Equal(File.ReadAllText("/proc/self/comm").TrimEnd('\n'), info.Comm);
        Assert.Equal(Environment.ProcessPath, info.ExePath);
        Assert.NotEmpty(info.CgroupPaths);
        Assert.All(info.CgroupPaths, path => Assert.StartsWith("/", path, StringComparison.Ordinal));
    }

    [Fact]
    public void A_process_that_is_gone_reads_as_null()
    {
        using var child = Process.Start("/bin/true")!;
        child.WaitForExit();
        var pid = child.Id;
        child.Dispose();
        Assert.Null(new ProcFs().Read(pid));
        Assert.Null(new ProcFs("/nonexistent").Read(1));
    }
}
