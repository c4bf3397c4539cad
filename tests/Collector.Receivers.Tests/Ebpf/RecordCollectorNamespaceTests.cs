using System.Globalization;
using Collector.Bpf;
using Collector.Core.Model;
using Collector.Receivers.Ebpf;

namespace Collector.Receivers.Tests.Ebpf;

/// <summary>
/// Records of a collector in a pid namespace of its own (a sidecar): kernel pids become the namespace's before the
/// samples and events go on; processes outside it and the collector itself are left out, pids: applies to local pids.
/// </summary>
public sealed class RecordCollectorNamespaceTests : IDisposable
{
    private const ulong Tick = 10_000_000;
    private readonly TempDirectory _proc = new();

    public RecordCollectorNamespaceTests()
    {
        AddProcess(6, startTicks: 500, comm: "spin");
        AddProcess(7, startTicks: 700, comm: "spin");
        AddProcess(9, startTicks: 600, comm: "collector");
    }

    public void Dispose() => _proc.Dispose();

    [Fact]
    public void Samples_carry_the_namespaces_pids_and_others_are_left_out_and_counted()
    {
        var scope = new NamespaceScope(PidNamespace.Nested(_proc.Path, () => 10_000 * Tick), selfPid: 9, targetPids: []);
        var collector = new RecordCollector(filter: null, new WatermarkTracker(TimeSpan.Zero), scope);

        collector.OnSample(new SampleRecordView(4572, 4572, 0, 1, (500 * Tick) + 5, "spin"u8, [], [0x401000], null));
        collector.OnSample(new SampleRecordView(4572, 4580, 0, 2, (500 * Tick) + 5, "spin"u8, [], [0x401000], null));
        collector.OnSample(new SampleRecordView(1, 1, 0, 3, 3 * Tick, "systemd"u8, [], [0x1000], null));
        collector.OnSample(new SampleRecordView(4999, 4999, 0, 4, 600 * Tick, "collector"u8, [], [0x1000], null));

        var samples = collector.TakeSamples();
        Assert.Equal([(6, 6), (6, 4580)], samples.Select(s => (s.Pid, s.Tid)));
        Assert.Equal(1, scope.SamplesOutside);
        Assert.Equal(2, collector.SamplesFilteredOut);
    }

    [Fact]
    public void Events_carry_the_namespaces_pids_and_a_parent_outside_reads_as_zero()
    {
        var scope = new NamespaceScope(PidNamespace.Nested(_proc.Path, () => 10_000 * Tick), selfPid: 9, targetPids: []);
        var collector = new RecordCollector(filter: null, new WatermarkTracker(TimeSpan.Zero), scope);

        collector.OnProcessEvent(new ProcessEventRecordView(ProcessEventKind.Exec, 4572, 3000, 1, 500 * Tick, "spin"u8, "/usr/local/bin/spin"u8));
        collector.OnProcessEvent(new ProcessEventRecordView(ProcessEventKind.Fork, 4600, 4572, 2, 700 * Tick, "spin"u8, []));
        collector.OnProcessEvent(new ProcessEventRecordView(ProcessEventKind.Exit, 1234, 1, 3, 5 * Tick, "cron"u8, []));

        var events = collector.TakeEvents();
        Assert.Equal([(ProcessEventKind.Exec, 6, 0), (ProcessEventKind.Fork, 7, 6)], events.Select(e => (e.Kind, e.Pid, e.ParentPid)));
    }

    [Fact]
    public void Pids_name_processes_of_the_namespace()
    {
        var scope = new NamespaceScope(PidNamespace.Nested(_proc.Path, () => 10_000 * Tick), selfPid: 9, targetPids: [7]);
        var collector = new RecordCollector(filter: null, new WatermarkTracker(TimeSpan.Zero), scope);

        collector.OnSample(new SampleRecordView(4572, 4572, 0, 1, 500 * Tick, "spin"u8, [], [0x401000], null));
        collector.OnSample(new SampleRecordView(4600, 4600, 0, 2, 700 * Tick, "spin"u8, [], [0x401000], null));

        Assert.Equal([7], collector.TakeSamples().Select(s => s.Pid));
    }

    private void AddProcess(int pid, ulong startTicks, string comm)
    {
        var directory = Directory.CreateDirectory(Path.Combine(_proc.Path, pid.ToString(CultureInfo.InvariantCulture))).FullName;
        File.WriteAllText(Path.Combine(directory, "stat"),
            $"{pid} ({comm}) S 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 {startTicks.ToString(CultureInfo.InvariantCulture)} 1000 10");
        var task = Directory.CreateDirectory(Path.Combine(directory, "task", pid.ToString(CultureInfo.InvariantCulture))).FullName;
        File.WriteAllText(Path.Combine(task, "comm"), comm + "\n");
    }
}
