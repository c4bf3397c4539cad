using System.Text;
using Collector.Receivers.Ebpf;

namespace Collector.Receivers.Tests.Ebpf;

/// <summary>The user-space filters, against a fake /proc: matching, caching by (pid, start time), vanished processes.</summary>
public class ProcessFilterTests
{
    private const ulong Tick = 10_000_000;
    private readonly FakeProcesses _processes = new();

    [Fact]
    public void Names_match_comm_or_executable_path()
    {
        _processes.Add(10, 5, "java", "/usr/lib/jvm/bin/java", "0::/");
        _processes.Add(11, 5, "python3", "/usr/bin/python3.11", "0::/");
        _processes.Add(12, 5, "bash", "/usr/bin/bash", "0::/");
        var filter = Filter(new EbpfProfilingOptions { ProcessNames = ["^java$", "python3\\.\\d+$"] });

        Assert.True(Matches(filter, 10, 5));
        Assert.True(Matches(filter, 11, 5));
        Assert.False(Matches(filter, 12, 5));
        Assert.Equal(1, filter.ProcessesFilteredOut);
    }

    [Fact]
    public void Cgroup_prefix_matches_the_cgroup_and_below_but_not_siblings_sharing_a_prefix()
    {
        _processes.Add(20, 1, "a", "/a", "12:cpu:/kubepods/burstable/pod1", "0::/");
        _processes.Add(21, 1, "b", "/b", "0::/kubepods/burstable");
        _processes.Add(22, 1, "c", "/c", "0::/kubepods/burstable-other");
        var filter = Filter(new EbpfProfilingOptions { Cgroup = "/kubepods/burstable" });

        Assert.True(Matches(filter, 20, 1));
        Assert.True(Matches(filter, 21, 1));
        Assert.False(Matches(filter, 22, 1));
    }

    [Fact]
    public void Container_id_matches_by_full_id_or_prefix_and_combines_with_names()
    {
        const string Id = "aabbccddeeff00112233445566778899aabbccddeeff00112233445566778899";
        _processes.Add(30, 1, "nginx", "/usr/sbin/nginx", $"0::/system.slice/docker-{Id}.scope");
        _processes.Add(31, 1, "sh", "/bin/sh", $"0::/system.slice/docker-{Id}.scope");
        _processes.Add(32, 1, "nginx", "/usr/sbin/nginx", "0::/system.slice/nginx.service");
        var filter = Filter(new EbpfProfilingOptions { ContainerId = Id[..12], ProcessNames = ["nginx"] });

        Assert.True(Matches(filter, 30, 1));
        Assert.False(Matches(filter, 31, 1));
        Assert.False(Matches(filter, 32, 1));
    }

    [Fact]
    public void A_decision_is_cached_per_process_and_a_reused_pid_is_decided_again()
    {
        _processes.Add(40, 7, "java", "/bin/java", "0::/");
        var filter = Filter(new EbpfProfilingOptions { ProcessNames = ["java"] });
        Assert.True(Matches(filter, 40, 7));
        Assert.True(Matches(filter, 40, 7));
        Assert.Equal(1, _processes.Reads);

        // The pid now belongs to a process started later.
        _processes.Add(40, 9, "bash", "/bin/bash", "0::/");
        Assert.False(Matches(filter, 40, 9));
        Assert.Equal(2, _processes.Reads);
    }

    [Fact]
    public void Forget_makes_the_next_lookup_read_proc_again()
    {
        _processes.Add(50, 1, "sh", "/bin/sh", "0::/");
        var filter = Filter(new EbpfProfilingOptions { ProcessNames = ["java"] });
        Assert.False(Matches(filter, 50, 1));

        // exec: same process, new image.
        _processes.Add(50, 1, "java", "/bin/java", "0::/");
        filter.Forget(50);
        Assert.True(Matches(filter, 50, 1));
        filter.Forget(51); // forgetting what was never known is a no-op
    }

    [Fact]
    public void A_vanished_process_is_counted_and_judged_by_its_record()
    {
        var names = Filter(new EbpfProfilingOptions { ProcessNames = ["^short$"] });
        Assert.True(names.Matches(60, 1 * Tick, "short"u8, []));
        Assert.False(names.Matches(61, 1 * Tick, "other"u8, "/usr/bin/other"u8));
        // The anchored pattern matches the name "short", not a path ending in it.
        Assert.False(names.Matches(62, 1 * Tick, "x"u8, "/usr/bin/short"u8));
        Assert.Equal(3, names.ProcessesVanished);

        // Without /proc nothing is known about its cgroup.
        var cgroup = Filter(new EbpfProfilingOptions { Cgroup = "/" });
        Assert.False(cgroup.Matches(63, 1 * Tick, "short"u8, []));
    }

    [Fact]
    public void A_pid_whose_start_time_differs_from_the_record_is_treated_as_vanished()
    {
        _processes.Add(70, 2, "java", "/bin/java", "0::/");
        var filter = Filter(new EbpfProfilingOptions { ProcessNames = ["java"] });
        // The record says the process started at tick 1; /proc shows another one (tick 2) under that pid.
        Assert.False(filter.Matches(70, 1 * Tick, "bash"u8, []));
        Assert.Equal(1, filter.ProcessesVanished);
    }

    private static bool Matches(ProcessFilter filter, int pid, ulong startTick) =>
        filter.Matches(pid, startTick * Tick + 1234, "ignored"u8, []);

    private ProcessFilter Filter(EbpfProfilingOptions options)
    {
        Assert.Empty(options.Validate());
        return new ProcessFilter(options, _processes);
    }

    private sealed class FakeProcesses : IProcessInfoSource
    {
        private readonly Dictionary<int, ProcessInfo> _byPid = [];

        public int Reads { get; private set; }

        public void Add(int pid, ulong startTicks, string comm, string exe, params string[] cgroupLines) =>
            _byPid[pid] = new ProcessInfo(startTicks, comm, exe, [.. cgroupLines.Select(ProcFs.CgroupPath)]);

        public ProcessInfo? Read(int pid)
        {
            Reads++;
            return _byPid.GetValueOrDefault(pid);
        }
    }
}
