using System.Globalization;
using System.Text;
using Collector.Receivers.Ebpf;

namespace Collector.Receivers.Tests.Ebpf;

/// <summary>
/// Kernel pids matched to the pids of a pid namespace's /proc (a fake one here) by start time, then thread name.
/// </summary>
public sealed class PidNamespaceTests : IDisposable
{
    private const ulong Tick = 10_000_000;

    private readonly TempDirectory _proc = new();
    private ulong _now = 1_000 * Tick;

    public void Dispose() => _proc.Dispose();

    [Fact]
    public void This_test_process_runs_in_the_namespace_its_proc_names()
    {
        var link = new FileInfo("/proc/self/ns/pid").LinkTarget;
        Assert.Equal(link == PidNamespace.InitialNamespaceLink, PidNamespace.OfThisProcess().IsInitial);
    }

    [Fact]
    public void In_the_initial_namespace_every_pid_is_its_own()
    {
        if (!PidNamespace.OfThisProcess().IsInitial) Assert.Skip("this test process runs in a child pid namespace");
        Assert.Equal(4321, PidNamespace.OfThisProcess().ToLocal(4321, 5 * Tick, "x"u8));
    }

    [Fact]
    public void A_kernel_pid_becomes_the_local_pid_started_in_the_same_tick()
    {
        AddProcess(7, startTicks: 500, threads: ("7", "spin"));
        AddProcess(8, startTicks: 600, threads: ("8", "other"));
        var pids = Nested();

        Assert.Equal(7, pids.ToLocal(90_007, 500 * Tick + 123, "spin"u8));
        Assert.Equal(8, pids.ToLocal(90_008, 600 * Tick + 9_999_999, "anything"u8));
        Assert.Equal(1, pids.Scans);
    }

    [Fact]
    public void A_process_with_no_local_match_is_outside_and_is_remembered_as_such()
    {
        AddProcess(7, startTicks: 500, threads: ("7", "spin"));
        var pids = Nested();

        Assert.Null(pids.ToLocal(1, 3 * Tick, "systemd"u8));
        Assert.Null(pids.ToLocal(1, 3 * Tick, "systemd"u8));
        Assert.Equal(1, pids.ProcessesOutside);
        Assert.Equal(1, pids.Scans);
    }

    [Fact]
    public void A_process_started_after_the_last_listing_lists_proc_again()
    {
        var pids = Nested();
        Assert.Null(pids.ToLocal(50, 10 * Tick, "a"u8)); // lists once (empty)
        _now = 2_000 * Tick;
        AddProcess(12, startTicks: 1_500, threads: ("12", "late"));

        Assert.Equal(12, pids.ToLocal(90_012, 1_500 * Tick, "late"u8));
        Assert.Equal(2, pids.Scans);
    }

    [Fact]
    public void Processes_of_the_same_tick_are_told_apart_by_thread_name_and_by_earlier_matches()
    {
        AddProcess(20, startTicks: 700, threads: [("20", "nginx"), ("23", "worker-a")]);
        AddProcess(21, startTicks: 700, threads: ("21", "nginx"));
        var pids = Nested();

        Assert.Null(pids.ToLocal(90_020, 700 * Tick + 1, "nginx"u8)); // both main threads are nginx: ambiguous
        Assert.Equal(1, pids.Ambiguous);
        Assert.Equal(20, pids.ToLocal(90_020, 700 * Tick + 1, "worker-a"u8)); // only 20 has that thread
        Assert.Equal(21, pids.ToLocal(90_021, 700 * Tick + 2, "nginx"u8)); // 20 is taken
    }

    [Fact]
    public void A_reused_local_pid_is_matched_afresh()
    {
        AddProcess(30, startTicks: 800, threads: ("30", "first"));
        var pids = Nested();
        Assert.Equal(30, pids.ToLocal(90_030, 800 * Tick, "first"u8));

        Directory.Delete(Path.Combine(_proc.Path, "30"), recursive: true);
        _now = 3_000 * Tick;
        AddProcess(30, startTicks: 2_900, threads: ("30", "second"));

        Assert.Equal(30, pids.ToLocal(90_031, 2_900 * Tick, "second"u8));
    }

    [Fact]
    public void A_fork_parent_is_known_only_once_matched_and_is_zero_outside()
    {
        AddProcess(40, startTicks: 900, threads: ("40", "parent"));
        var pids = Nested();
        Assert.Equal(0, pids.KnownLocal(90_040));
        pids.ToLocal(90_040, 900 * Tick, "parent"u8);
        Assert.Equal(40, pids.KnownLocal(90_040));
        pids.ToLocal(1, 1 * Tick, "init"u8);
        Assert.Equal(0, pids.KnownLocal(1));
    }

    private PidNamespace Nested() => PidNamespace.Nested(_proc.Path, () => _now);

    private void AddProcess(int pid, ulong startTicks, params (string Tid, string Comm)[] threads)
    {
        var directory = Directory.CreateDirectory(Path.Combine(_proc.Path, pid.ToString(CultureInfo.InvariantCulture))).FullName;
        var fields = new StringBuilder($"{pid} ({threads[0].Comm}) S 1");
        for (var field = 5; field <= 21; field++) fields.Append(" 0");
        fields.Append(CultureInfo.InvariantCulture, $" {startTicks} 1000 10");
        File.WriteAllText(Path.Combine(directory, "stat"), fields.ToString());
        foreach (var (tid, comm) in threads)
        {
            var task = Directory.CreateDirectory(Path.Combine(directory, "task", tid)).FullName;
            File.WriteAllText(Path.Combine(task, "comm"), comm + "\n");
        }
    }
}
