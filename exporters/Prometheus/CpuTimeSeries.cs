namespace Collector.Exporters.Prometheus;

/// <summary>
/// The counters the exporter serves, bounded three ways so a profiler can never flood Prometheus:
/// <list type="bullet">
/// <item>at most <c>top_functions_per_process</c> function series per process (per set of the other labels); CPU
/// time of further functions goes to that process's <c>function="other"</c> series. New series are admitted
/// heaviest first within a batch, and since series that stop growing expire, the slots end up held by the
/// functions that keep burning CPU.</item>
/// <item>at most <c>max_series</c> series in all, "other" series included; CPU time that finds no room, not even
/// in an existing "other" series, is counted as dropped.</item>
/// <item>a series that has not grown for <c>series_ttl</c> is removed (Prometheus marks it stale); if it comes
/// back it starts again from zero, which <c>rate()</c> reads as a counter reset.</item>
/// </list>
/// Existing series are never folded or evicted while they grow: a counter must not move between series.
/// </summary>
internal sealed class CpuTimeSeries(int maxSeries, int topFunctionsPerProcess, TimeSpan ttl, TimeProvider time)
{
    public const string Other = "other";

    private readonly Lock _gate = new();
    private readonly Dictionary<CpuTimeKey, Entry> _series = [];
    private readonly Dictionary<CpuTimeKey, int> _functionsPerProcess = [];
    private readonly long _ttlTicks = (long)(ttl.TotalSeconds * time.TimestampFrequency);
    private long _nextSweep = long.MinValue;
    private double _droppedSeconds;
    private long _expiredSeries;

    public int Count
    {
        get { lock (_gate) return _series.Count; }
    }

    public double DroppedSeconds
    {
        get { lock (_gate) return _droppedSeconds; }
    }

    public long ExpiredSeries
    {
        get { lock (_gate) return _expiredSeries; }
    }

    public void Add(Dictionary<CpuTimeKey, double> seconds)
    {
        var now = time.GetTimestamp();
        lock (_gate)
        {
            Sweep(now);
            List<KeyValuePair<CpuTimeKey, double>>? fresh = null;
            foreach (var increment in seconds)
            {
                if (_series.TryGetValue(increment.Key, out var entry)) entry.Grow(increment.Value, now);
                else (fresh ??= []).Add(increment);
            }
            if (fresh is null) return;
            fresh.Sort(static (a, b) => b.Value.CompareTo(a.Value));
            foreach (var (key, value) in fresh) Admit(key, value, now);
        }
    }

    /// <summary>Every series with its value, in a stable order.</summary>
    public List<(CpuTimeKey Key, double Seconds)> Snapshot()
    {
        var now = time.GetTimestamp();
        lock (_gate)
        {
            Sweep(now);
            var result = new List<(CpuTimeKey, double)>(_series.Count);
            foreach (var (key, entry) in _series) result.Add((key, entry.Seconds));
            return result;
        }
    }

    private void Admit(CpuTimeKey key, double value, long now)
    {
        // Samples without the function label, and "other" itself, only need room.
        if (key.Function.Length > 0 && key.Function != Other)
        {
            var process = key.WithoutFunction;
            var functions = _functionsPerProcess.GetValueOrDefault(process);
            if (functions < topFunctionsPerProcess && _series.Count < maxSeries)
            {
                _series.Add(key, new Entry(value, now));
                _functionsPerProcess[process] = functions + 1;
                return;
            }
            key = key with { Function = Other };
            if (_series.TryGetValue(key, out var other))
            {
                other.Grow(value, now);
                return;
            }
        }
        if (_series.Count < maxSeries)
        {
            _series.Add(key, new Entry(value, now));
            return;
        }
        _droppedSeconds += value;
    }

    /// <summary>Removes series that stopped growing; runs at most a few times per TTL, not per batch.</summary>
    private void Sweep(long now)
    {
        if (now < _nextSweep) return;
        _nextSweep = now + Math.Max(1, _ttlTicks / 8);
        List<CpuTimeKey>? expired = null;
        foreach (var (key, entry) in _series)
        {
            if (now - entry.LastGrowth >= _ttlTicks) (expired ??= []).Add(key);
        }
        if (expired is null) return;
        foreach (var key in expired)
        {
            _series.Remove(key);
            _expiredSeries++;
            if (key.Function.Length == 0 || key.Function == Other) continue;
            var process = key.WithoutFunction;
            var left = _functionsPerProcess[process] - 1;
            if (left == 0) _functionsPerProcess.Remove(process);
            else _functionsPerProcess[process] = left;
        }
    }

    private sealed class Entry(double seconds, long now)
    {
        public double Seconds { get; private set; } = seconds;

        public long LastGrowth { get; private set; } = now;

        public void Grow(double seconds, long now)
        {
            Seconds += seconds;
            LastGrowth = now;
        }
    }
}
