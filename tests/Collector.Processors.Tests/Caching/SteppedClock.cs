namespace Collector.Processors.Tests.Caching;

/// <summary>A clock that stands still until a test moves it.</summary>
public sealed class SteppedClock : TimeProvider
{
    private DateTimeOffset _now = new(2026, 11, 21, 0, 0, 0, TimeSpan.Zero);

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override DateTimeOffset GetUtcNow() => _now;

    public override long GetTimestamp() => _now.UtcTicks;

    public void Advance(TimeSpan by) => _now += by;
}
