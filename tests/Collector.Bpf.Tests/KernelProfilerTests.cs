using System.Diagnostics;
using System.Text;
using Collector.Bpf.Tests.Support;
using Collector.Core.Model;

namespace Collector.Bpf.Tests;

/// <summary>The loaded programs against the real kernel: sampling, process events, kernel-side filters, detach.</summary>
[Collection(BpfCollection.Name)]
public class KernelProfilerTests(ITestOutputHelper output)
{
    [Fact]
    public void Samples_a_busy_thread_with_user_stacks_at_the_requested_rate()
    {
        Prerequisites.Bpf();
        var sink = new RecordingSink();
        var self = Environment.ProcessId;
        using var profiler = KernelProfiler.Start(new KernelProfilerSettings { SamplesPerSecond = 99 }, sink, new TestOutputLogger(output));

        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        Spin(TimeSpan.FromSeconds(1.5));
        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
        profiler.Poll();

        var mine = sink.Samples.Where(s => s.Pid == self).ToList();
        var expected = 99 * cpuSeconds;
        output.WriteLine($"{mine.Count} samples of this process for {cpuSeconds:F2} CPU seconds (expected ≈ {expected:F0}); "
            + $"{sink.Samples.Count} in all; counters {profiler.ReadCounters()}; ring {profiler.RingBufferBytes} bytes on CPUs {string.Join(',', profiler.Cpus)}");
        Assert.InRange(mine.Count, expected * 0.75, expected * 1.25);
        Assert.True(mine.Count(s => s.UserFrames > 0) >= mine.Count * 0.9, "user stacks missing");
        Assert.All(mine, s => Assert.True(s.Ktime > 0));
        // The start time identifies the process the way /proc does (field 22 of stat, in 10 ms ticks).
        var startTicks = ulong.Parse(File.ReadAllText("/proc/self/stat").Split(") ")[1].Split(' ')[19], System.Globalization.CultureInfo.InvariantCulture);
        Assert.All(mine, s => Assert.Equal(startTicks, s.Start / 10_000_000));
        Assert.Equal(0, profiler.ReadCounters().RecordsLost);
        Assert.Equal(0, profiler.MalformedRecords);
    }

    [Fact]
    public void Reports_fork_exec_and_exit_of_a_child_in_order()
    {
        Prerequisites.Bpf();
        var sink = new RecordingSink();
        using var profiler = KernelProfiler.Start(new KernelProfilerSettings { SamplesPerSecond = 19 }, sink, new TestOutputLogger(output));

        using var child = Process.Start("/bin/true")!;
        child.WaitForExit();
        // A thread starting and ending is neither a fork nor an exit of this process.
        var thread = new Thread(() => Thread.Sleep(10));
        thread.Start();
        thread.Join();
        Thread.Sleep(50);
        profiler.Poll();

        var events = sink.Events.Where(e => e.Pid == child.Id).ToList();
        foreach (var e in events)
        {
            output.WriteLine(e.ToString());
        }
        Assert.Equal([ProcessEventKind.Fork, ProcessEventKind.Exec, ProcessEventKind.Exit], events.Select(e => e.Kind));
        Assert.True(events[0].Ktime < events[1].Ktime && events[1].Ktime < events[2].Ktime);
        Assert.Equal(Environment.ProcessId, events[0].Parent);
        Assert.EndsWith("/true", events[1].Filename, StringComparison.Ordinal);
        Assert.Equal("true", events[2].Comm);
        Assert.Single(events.Select(e => e.Start).Distinct());
        Assert.DoesNotContain(sink.Events, e => e.Pid == Environment.ProcessId);
    }

    [Fact]
    public void A_burst_of_short_lived_processes_loses_no_event()
    {
        Prerequisites.Bpf();
        const int Processes = 2000;
        var sink = new RecordingSink();
        using var profiler = KernelProfiler.Start(new KernelProfilerSettings { SamplesPerSecond = 19 }, sink, new TestOutputLogger(output));

        // As fast as the shell can fork and exec, polled twice a second like the receiver does.
        var watch = Stopwatch.StartNew();
        using var loop = Process.Start("/bin/sh", ["-c", $"i=0; while [ $i -lt {Processes} ]; do /bin/true; i=$((i+1)); done"])!;
        while (!loop.WaitForExit(500))
        {
            profiler.Poll();
        }
        var seconds = watch.Elapsed.TotalSeconds;
        Thread.Sleep(50);
        profiler.Poll();

        var counters = profiler.ReadCounters();
        var execs = sink.Events.Count(e => e.Kind == ProcessEventKind.Exec && e.Filename == "/bin/true");
        output.WriteLine($"{Processes} processes in {seconds:F1} s ({Processes / seconds:F0}/s): {execs} execs of /bin/true seen, "
            + $"{sink.Events.Count} events in all; counters {counters}; ring {profiler.RingBufferBytes} bytes");
        Assert.Equal(0, counters.RecordsLost);
        Assert.Equal(Processes, execs);
    }

    [Fact]
    public void Kernel_side_filters_keep_only_target_pids_and_drop_kernel_stacks_on_request()
    {
        Prerequisites.Bpf();
        using var target = StartSpinner();
        using var other = StartSpinner();
        try
        {
            var sink = new RecordingSink();
            var settings = new KernelProfilerSettings { SamplesPerSecond = 99, TargetPids = [target.Id], KernelStacks = false };
            double cpuSeconds;
            using (var profiler = KernelProfiler.Start(settings, sink, new TestOutputLogger(output)))
            {
                var before = ProcStat.CpuSeconds(target.Id);
                Thread.Sleep(1000);
                cpuSeconds = ProcStat.CpuSeconds(target.Id) - before;
                profiler.Poll();
            }
            output.WriteLine($"{sink.Samples.Count} samples for {cpuSeconds:F2} CPU seconds of the target, pids {string.Join(',', sink.Samples.Select(s => s.Pid).Distinct())}");
            // The machine may be busy: expect samples in proportion to the CPU time the target really got.
            Assert.True(sink.Samples.Count > 0 && sink.Samples.Count >= 99 * cpuSeconds * 0.5, "the target was not sampled");
            Assert.All(sink.Samples, s => Assert.Equal(target.Id, s.Pid));
            Assert.All(sink.Samples, s => Assert.Equal(0, s.KernelFrames));
        }
        finally
        {
            target.Kill();
            other.Kill();
        }
    }

    [Fact]
    public void Excluded_pid_is_never_sampled_and_detach_stops_everything()
    {
        Prerequisites.Bpf();
        var sink = new RecordingSink();
        var settings = new KernelProfilerSettings { SamplesPerSecond = 99, ExcludedPid = Environment.ProcessId };
        using var profiler = KernelProfiler.Start(settings, sink, new TestOutputLogger(output));
        Spin(TimeSpan.FromSeconds(0.5));
        profiler.Detach();
        profiler.Poll();
        var drained = sink.Samples.Count;
        Spin(TimeSpan.FromSeconds(0.3));

        Assert.Equal(0, profiler.Poll());
        Assert.Equal(drained, sink.Samples.Count);
        Assert.DoesNotContain(sink.Samples, s => s.Pid == Environment.ProcessId);
    }

    private static void Spin(TimeSpan duration)
    {
        var watch = Stopwatch.StartNew();
        var x = 0L;
        while (watch.Elapsed < duration)
        {
            x = x * 31 + 7;
        }
        GC.KeepAlive(x);
    }

    private static Process StartSpinner() => Process.Start("/bin/sh", ["-c", "while :; do :; done"])!;

    private sealed record SampleSummary(int Pid, int Tid, ulong Ktime, ulong Start, int KernelFrames, int UserFrames);

    private sealed record EventSummary(ProcessEventKind Kind, int Pid, int Parent, ulong Ktime, ulong Start, string Comm, string Filename);

    private sealed class RecordingSink : IRecordSink
    {
        public List<SampleSummary> Samples { get; } = [];

        public List<EventSummary> Events { get; } = [];

        public void OnSample(in SampleRecordView sample) =>
            Samples.Add(new(sample.Pid, sample.Tid, sample.KtimeNanos, sample.StartBoottimeNanos, sample.KernelFrames.Length, sample.UserFrames.Length));

        public void OnProcessEvent(in ProcessEventRecordView e) => Events.Add(new(e.Kind, e.Pid, e.ParentPid, e.KtimeNanos,
            e.StartBoottimeNanos, Encoding.UTF8.GetString(e.Comm), Encoding.UTF8.GetString(e.Filename)));
    }
}
