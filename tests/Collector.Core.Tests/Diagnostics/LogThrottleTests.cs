using Collector.Core.Diagnostics;

namespace Collector.Core.Tests.Diagnostics;

public class LogThrottleTests
{
    [Fact]
    public void Lets_the_first_occurrence_through_then_one_per_interval_with_the_count_held_back()
    {
        var time = new SteppingTime();
        var throttle = new LogThrottle(time, TimeSpan.FromSeconds(10));

        Assert.True(throttle.ShouldLog(out var suppressed));
        Assert.Equal(0, suppressed);
        Assert.False(throttle.ShouldLog(out _));
        time.Advance(TimeSpan.FromSeconds(9));
        Assert.False(throttle.ShouldLog(out _));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(throttle.ShouldLog(out suppressed));
        Assert.Equal(2, suppressed);
        Assert.False(throttle.ShouldLog(out _));
    }

    private sealed class SteppingTime : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
