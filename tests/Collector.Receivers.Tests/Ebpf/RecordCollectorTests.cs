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
    public void User_frame_origins_are_kept_beside_their_frames_and_empty_when_the_kernel_gave_none()
    {
        var libc = new UserFrameOrigin(new KernelBuildId(0x0102030405060708, 0x090a0b0c0d0e0f10, 0x11121314), 0x2a000);
        Sample(pid: 5, ktime: 1, kernel: [], user: [0x7f0000001000, 0x7f0000002000], origins: [libc, default]);
        Sample(pid: 6, ktime: 2, kernel: [], user: [0x401000]);

        var samples = _collector.TakeSamples();
        Assert.Equal([libc, default], samples[0].UserFrameOrigins.ToArray());
        Assert.Equal(samples[0].UserFrames.Length, samples[0].UserFrameOrigins.Length);
        Assert.True(samples[1].UserFrameOrigins.IsEmpty);
    }

    [Fact]
    public void Origins_handed_out_stay_intact_while_later_samples_fill_the_arena()
    {
        var first = new UserFrameOrigin(new KernelBuildId(1, 2, 3), 0x1000);
        Sample(1, 1, kernel: [], user: [1], origins: [first]);
        var kept = _collector.TakeSamples()[0].UserFrameOrigins;
        var other = new UserFrameOrigin(new KernelBuildId(4, 5, 6), 0x2000);
        for (var i = 0; i < 10_000; i++)
        {
            Sample(1, (ulong)i, kernel: [], user: [1, 2], origins: [other, other]);
        }

        Assert.Equal([first], kept.ToArray());
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
        var known = new UserFrameOrigin(new KernelBuildId(1, 2, 3), 0x1000);
        UserFrameOrigin[] origins = [known, known, default];
        const int Count = 10_000;
        for (var i = 0; i < Count; i++)
        {
            Sample(1, (ulong)i, kernel, user, origins);
        }
        _collector.TakeSamples();

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Count; i++)
        {
            Sample(1, (ulong)i, kernel, user, origins);
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Frames (5 per sample) and origins (3 per sample) land in 128 KiB arrays; a partly used array of each
        // kind is the slack.
        var dataBytes = Count * ((5 * sizeof(ulong)) + (3 * System.Runtime.CompilerServices.Unsafe.SizeOf<UserFrameOrigin>()));
        Assert.True(allocated <= dataBytes + (2 * (128 << 10)) + 1024, $"{allocated} bytes allocated for {dataBytes} bytes of frames and origins");
    }

    private void Sample(int pid, ulong ktime, ulong[] kernel, ulong[] user, UserFrameOrigin[]? origins = null) =>
        _collector.OnSample(new SampleRecordView(pid, pid * 10, 1, ktime, 77, "worker"u8, kernel, user, origins));

    private void Event(ProcessEventKind kind, int pid, ulong ktime) =>
        _collector.OnProcessEvent(new ProcessEventRecordView(kind, pid, 1, ktime, 77, "sleep"u8, "/bin/sleep"u8));
}
