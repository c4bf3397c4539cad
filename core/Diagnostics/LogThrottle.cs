namespace Collector.Core.Diagnostics;

/// <summary>
/// Lets a repeating error through the first time and then at most once per interval, counting the occurrences
/// it held back so the next message can say how many there were. A full disk must not flood the log.
/// </summary>
public sealed class LogThrottle(TimeProvider time, TimeSpan interval)
{
    private readonly Lock _gate = new();
    private long _nextAllowed = long.MinValue;
    private long _suppressed;

    /// <summary>True when this occurrence should be logged; <paramref name="suppressed"/> is how many were not since the last one that was.</summary>
    public bool ShouldLog(out long suppressed)
    {
        lock (_gate)
        {
            var now = time.GetTimestamp();
            if (_nextAllowed != long.MinValue && now < _nextAllowed)
            {
                _suppressed++;
                suppressed = 0;
                return false;
            }
            _nextAllowed = now + (long)(interval.TotalSeconds * time.TimestampFrequency);
            suppressed = _suppressed;
            _suppressed = 0;
            return true;
        }
    }
}
