using System.Diagnostics;
using Collector.Bpf;
using Collector.Core.Model;
using Collector.Receivers.Ebpf;
using Collector.Receivers.Tests.Ebpf.Support;

namespace Collector.Receivers.Tests.Ebpf;

/// <summary>
/// Acceptance: process events travel in band and in order, and the watermark keeps its promise — it passes an
/// exit quickly, never goes back, and nothing delivered after it is older than it.
/// </summary>
[Collection(EbpfCollection.Name)]
public sealed class ProcessEventAcceptanceTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Exec_and_exit_of_a_child_arrive_in_order_and_the_watermark_passes_the_exit_within_1_5_s()
    {
        Prerequisites.Bpf();
        // Default options: samples are held for 5 s, so passing the exit quickly relies on the early flush.
        await using var session = await ReceiverSession.StartAsync(output, new EbpfProfilingOptions());
        using var child = Process.Start("/bin/sleep", "0.2")!;
        await child.WaitForExitAsync();

        ulong? exitKtime = null;
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(5))
        {
            exitKtime ??= session.Consumer.Events.Where(e => e.Pid == child.Id && e.Kind == ProcessEventKind.Exit).Select(e => (ulong?)e.KtimeNanos).FirstOrDefault();
            if (exitKtime is { } exit && session.Consumer.Arrivals.Any(b => b.Batch.WatermarkKtimeNanos > exit))
            {
                break;
            }
            await Task.Delay(50);
        }
        await session.StopAsync();

        var batches = session.Consumer.Arrivals;
        var events = session.Consumer.Events.Where(e => e.Pid == child.Id).ToList();
        output.WriteLine(string.Join(Environment.NewLine, events));
        Assert.Equal([ProcessEventKind.Fork, ProcessEventKind.Exec, ProcessEventKind.Exit], events.Select(e => e.Kind));
        Assert.Equal(Environment.ProcessId, events[0].ParentPid);
        Assert.Equal("sleep", events[1].Comm);
        Assert.True(events[0].KtimeNanos < events[1].KtimeNanos && events[1].KtimeNanos < events[2].KtimeNanos);

        var exitAt = events[2].KtimeNanos;
        var exitBatch = batches.ToList().FindIndex(b => b.Batch.ProcessEvents.Contains(events[2]));
        var passingBatch = batches.ToList().FindIndex(b => b.Batch.WatermarkKtimeNanos > exitAt);
        Assert.True(passingBatch >= 0, "the watermark never passed the exit");
        var lag = TimeSpan.FromTicks((long)(batches[passingBatch].ArrivedAt - exitAt) / 100);
        output.WriteLine($"exit in batch {exitBatch}, watermark passed it in batch {passingBatch}, {lag.TotalMilliseconds:F0} ms after the exit; "
            + $"{batches.Count} batches, {session.Consumer.RawSamples.Count()} samples");
        Assert.True(exitBatch <= passingBatch, "the watermark passed the exit before the exit was delivered");
        Assert.True(lag <= TimeSpan.FromSeconds(1.5), $"the watermark passed the exit {lag.TotalMilliseconds:F0} ms after it");

        AssertWatermarkContract(batches.Select(b => b.Batch).ToList());
        Assert.Equal(0, session.Receiver.LateRecords);
    }

    [Fact]
    public async Task Watermarks_are_published_twice_a_second_and_lag_the_kernel_clock_by_well_under_a_second_without_held_samples()
    {
        Prerequisites.Bpf();
        // A pid that never runs: no samples are held, so the watermark follows the poll time.
        await using var session = await ReceiverSession.StartAsync(output, new EbpfProfilingOptions { Pids = [int.MaxValue - 1] });
        await Task.Delay(TimeSpan.FromSeconds(2.2));
        var now = KernelClock.MonotonicNanos();
        var marks = session.Consumer.Arrivals.Where(b => b.Batch.WatermarkKtimeNanos is not null).ToList();
        await session.StopAsync();

        var lags = marks.Select(m => (m.ArrivedAt - m.Batch.WatermarkKtimeNanos!.Value) / 1e6).ToList();
        output.WriteLine($"{marks.Count} watermarks in 2.2 s; lag at arrival {string.Join(", ", lags.Select(l => $"{l:F0} ms"))}; "
            + $"last is {(now - marks[^1].Batch.WatermarkKtimeNanos!.Value) / 1e6:F0} ms behind now");
        Assert.InRange(marks.Count, 3, 5);
        Assert.All(lags, lag => Assert.InRange(lag, 0, 1000));
        Assert.True(now - marks[^1].Batch.WatermarkKtimeNanos!.Value < 1_000_000_000UL);
    }

    /// <summary>The watermark never decreases, and no sample or event delivered after it is older than it.</summary>
    internal static void AssertWatermarkContract(IReadOnlyList<ProfileBatch> batches)
    {
        ulong published = 0;
        foreach (var batch in batches)
        {
            var times = (batch.Raw?.Samples.Select(s => s.KtimeNanos) ?? []).Concat(batch.ProcessEvents.Select(e => e.KtimeNanos));
            Assert.All(times, t => Assert.True(t >= published, $"a record at {t} arrived after the watermark {published}"));
            if (batch.WatermarkKtimeNanos is { } watermark)
            {
                Assert.True(watermark >= published, "the watermark went back");
                published = watermark;
            }
        }
    }
}
