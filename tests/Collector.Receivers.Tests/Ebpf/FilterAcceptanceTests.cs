using Collector.Receivers.Ebpf;
using Collector.Receivers.Tests.Ebpf.Support;

namespace Collector.Receivers.Tests.Ebpf;

/// <summary>Acceptance: with a target filter only the target appears; exclude_self keeps the collector out.</summary>
[Collection(EbpfCollection.Name)]
public sealed class FilterAcceptanceTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("ebpf-filters-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public async Task With_pids_only_that_process_appears()
    {
        Prerequisites.Bpf();
        Prerequisites.Tools("clang-14", "nm");
        var workload = NativeWorkload.Build(_work);
        using var target = workload.Start("spin", 2.5);
        using var other = workload.Start("spin", 2.5);

        await using (var session = await ReceiverSession.StartAsync(output, new EbpfProfilingOptions { SamplesPerSecond = 99, Pids = [target.Id] }))
        {
            NativeWorkload.WaitForCpuSeconds(target);
            NativeWorkload.WaitForCpuSeconds(other);
            await session.StopAsync();

            var pids = session.Consumer.RawSamples.Select(s => s.Pid).Distinct().ToList();
            output.WriteLine($"{session.Consumer.RawSamples.Count()} samples from pids {string.Join(',', pids)}; target {target.Id}, other {other.Id}");
            Assert.Equal([target.Id], pids);
            Assert.All(session.Consumer.Events, e => Assert.Equal(target.Id, e.Pid));
            Assert.Contains(session.Consumer.Events, e => e.Kind == Core.Model.ProcessEventKind.Exit);
        }
    }

    [Fact]
    public async Task With_process_names_only_matching_processes_appear()
    {
        Prerequisites.Bpf();
        Prerequisites.Tools("clang-14", "nm");
        var workload = NativeWorkload.Build(_work);
        var targetBinary = workload.CopyAs("ebpftarget");
        var otherBinary = workload.CopyAs("ebpfother");

        await using var session = await ReceiverSession.StartAsync(output, new EbpfProfilingOptions { SamplesPerSecond = 99, ProcessNames = ["^ebpftarget$"] });
        using var target = targetBinary.Start("spin", 1.5);
        using var other = otherBinary.Start("spin", 1.5);
        NativeWorkload.WaitForCpuSeconds(target);
        NativeWorkload.WaitForCpuSeconds(other);
        await session.StopAsync();

        var samples = session.Consumer.RawSamples.ToList();
        var pids = samples.Select(s => s.Pid).Distinct().ToList();
        output.WriteLine($"{samples.Count} samples from pids {string.Join(',', pids)} (target {target.Id}, other {other.Id}); "
            + $"{session.Receiver.ProcessesFilteredOut} processes and {session.Receiver.SamplesFilteredOut} samples filtered out, "
            + $"{session.Receiver.ProcessesVanished} vanished before they could be looked up");
        Assert.Equal([target.Id], pids);
        // A sample may land in the forked child before it calls exec, still named after the test host's thread.
        Assert.True(samples.Count(s => s.Comm == "ebpftarget") >= samples.Count - 2);
        Assert.Contains(session.Consumer.Events, e => e.Pid == target.Id && e.Kind == Core.Model.ProcessEventKind.Exec);
        Assert.DoesNotContain(session.Consumer.Events, e => e.Pid == other.Id);
        Assert.True(session.Receiver.ProcessesFilteredOut >= 1);
        Assert.True(session.Receiver.SamplesFilteredOut >= 1, "the other workload was never sampled, so the filter was not exercised");
    }

    [Fact]
    public async Task Exclude_self_keeps_the_collector_out_and_turning_it_off_lets_it_in()
    {
        Prerequisites.Bpf();
        var self = Environment.ProcessId;
        var excluded = await SamplesOfSelfWhileSpinningAsync(excludeSelf: true);
        var included = await SamplesOfSelfWhileSpinningAsync(excludeSelf: false);
        output.WriteLine($"samples of this process: {excluded} with exclude_self, {included} without");
        Assert.Equal(0, excluded);
        Assert.True(included > 0, "without exclude_self the spinning test process should be sampled");

        async Task<int> SamplesOfSelfWhileSpinningAsync(bool excludeSelf)
        {
            await using var session = await ReceiverSession.StartAsync(output, new EbpfProfilingOptions { SamplesPerSecond = 99, ExcludeSelf = excludeSelf });
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var x = 0L;
            while (watch.Elapsed < TimeSpan.FromSeconds(1))
            {
                x = (x * 31) + 7;
            }
            GC.KeepAlive(x);
            await session.StopAsync();
            Assert.NotEmpty(session.Consumer.Arrivals);
            return session.Consumer.RawSamples.Count(s => s.Pid == self);
        }
    }
}
