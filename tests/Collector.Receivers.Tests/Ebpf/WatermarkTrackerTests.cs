using Collector.Receivers.Ebpf;

namespace Collector.Receivers.Tests.Ebpf;

public class WatermarkTrackerTests
{
    private const ulong Ms = 1_000_000;
    private readonly WatermarkTracker _tracker = new(TimeSpan.FromMilliseconds(20));

    [Fact]
    public void Lags_the_poll_start_by_the_margin()
    {
        Assert.Null(_tracker.Published);
        Assert.Equal(980 * Ms, _tracker.Next(1000 * Ms, oldestHeldKtime: null));
        Assert.Equal(980 * Ms, _tracker.Published);
    }

    [Fact]
    public void Stops_at_the_oldest_sample_still_held()
    {
        Assert.Equal(700 * Ms, _tracker.Next(1000 * Ms, oldestHeldKtime: 700 * Ms));
        Assert.Equal(1480 * Ms, _tracker.Next(1500 * Ms, oldestHeldKtime: null));
    }

    [Fact]
    public void Never_goes_back()
    {
        _tracker.Next(2000 * Ms, null);
        Assert.Equal(1980 * Ms, _tracker.Next(1500 * Ms, oldestHeldKtime: 100 * Ms));
    }

    [Fact]
    public void Records_older_than_the_published_watermark_are_late()
    {
        Assert.False(_tracker.IsLate(0));
        _tracker.Next(1000 * Ms, null);
        Assert.True(_tracker.IsLate(979 * Ms));
        Assert.False(_tracker.IsLate(980 * Ms));
    }

    [Fact]
    public void Early_kernel_times_do_not_underflow() => Assert.Equal(0UL, _tracker.Next(5 * Ms, null));
}
