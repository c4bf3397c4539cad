using Collector.Bpf;
using Collector.Core.Model;
using Collector.Receivers.Ebpf;

namespace Collector.Receivers.Tests.Ebpf;

/// <summary>Turning kernel records into held samples and pending events, without allocating per sample.</summary>
public class RecordCollectorTests
{
    private readonly WatermarkTracker _watermark = new(TimeSpan.Zero);
    private readonly RecordCollector _collector;

    public RecordCollectorTests() => _collector = new RecordCollector(filter: null, _watermark);

    [Fact]
    public void Samples_keep_their_identity_time_name_and_frames()
    {
        Sample(pid: 5, ktime: 200, kernel: [0xffffffff81000000], user: [0x401000, 0x401100]);
        Sample(pid: 6, ktime: 100, kernel: [], user: [0x402000]);

        Assert.Equal(100UL, _collector.OldestHeldKtime);
        var samples = _collector.TakeSamples();
        Assert.Equal(2, samples.Count);
        var first = samples[0];
        Assert.Equal((5, 50, 1, 200UL, "worker"), (first.Pid, first.Tid, first.Cpu, first.KtimeNanos, first.Comm));
        Assert.Equal([0xffffffff81000000], first.KernelFrames.ToArray());
        Assert.Equal([0x401000UL, 0x401100], first.UserFrames.ToArray());
        Assert.True(samples[1].KernelFrames.IsEmpty);
        Assert.Same(first.Comm, samples[1].Comm);
        Assert.Equal(2, _collector.SamplesReceived);
        Assert.Null(_collector.OldestHeldKtime);
        Assert.Equal(0, _collector.HeldSamples);
    }

    [Fact]
    public void Stacks_that_fill_all_frames_are_counted_as_truncated()
    {
        Sample(1, 1, kernel: new ulong[KernelProfiler.MaxFramesPerStack], user: [1]);
        Sample(1, 2, kernel: [1], user: new ulong[KernelProfiler.MaxFramesPerStack - 1]);
        Assert.Equal(1, _collector.StacksTruncated);
    }

    [Fact]
    public void Events_come_out_in_kernel_time_order_and_an_exit_marks_a_flush_as_needed()
    {
        Event(ProcessEventKind.Exit, pid: 9, ktime: 300);
        Event(ProcessEventKind.Exec, pid: 9, ktime: 200);
        Event(ProcessEventKind.Fork, pid: 9, ktime: 100);
        Assert.True(_collector.ExitPending);

        var events = _collector.TakeEvents();
        Assert.Equal([ProcessEventKind.Fork, ProcessEventKind.Exec, ProcessEventKind.Exit], events.Select(e => e.Kind));
        Assert.Equal(("sleep", 1), (events[0].Comm, events[0].ParentPid));
        Assert.False(_collector.ExitPending);
        Assert.Empty(_collector.TakeEvents());
    }

    [Fact]
    public void Records_older_than_the_published_watermark_are_counted_late_but_kept()
    {
        _watermark.Next(1000, null);
        Sample(1, ktime: 999, kernel: [], user: []);
        Event(ProcessEventKind.Exit, 1, ktime: 1000);
        Assert.Equal(1, _collector.LateRecords);
        Assert.Equal(1, _collector.HeldSamples);
    }

    [Fact]
    public void Steady_state_sampling_allocates_nothing_beyond_frame_storage()
    {
        ulong[] kernel = [0xffffffff81000000, 0xffffffff81000100];
        ulong[] user = [0x401000, 0x401100, 0x401200];
        const int Count = 10_000;
        for (var i = 0; i < Count; i++)
        {
            Sample(1, (ulong)i, kernel, user);
        }
        _collector.TakeSamples();

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Count; i++)
        {
            Sample(1, (ulong)i, kernel, user);
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // The frames themselves (5 per sample) land in 128 KiB arrays; one partly used array is the slack.
        var frameBytes = Count * 5 * sizeof(ulong);
        Assert.True(allocated <= frameBytes + (128 << 10) + 1024, $"{allocated} bytes allocated for {frameBytes} bytes of frames");
    }

    private void Sample(int pid, ulong ktime, ulong[] kernel, ulong[] user) =>
        _collector.OnSample(new SampleRecordView(pid, pid * 10, 1, ktime, 77, "worker"u8, kernel, user));

    private void Event(ProcessEventKind kind, int pid, ulong ktime) =>
        _collector.OnProcessEvent(new ProcessEventRecordView(kind, pid, 1, ktime, 77, "sleep"u8, "/bin/sleep"u8));
}
