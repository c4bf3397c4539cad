using System.Diagnostics.Metrics;

namespace Collector.Telemetry.Collection;

/// <summary>
/// The series one instrument has recorded, one per distinct tag list. Components record with tag lists built
/// once, so an instrument has a handful of series and finding one is a short scan that compares string
/// references first; the array is replaced (never changed) when a series is added, so recording takes no lock.
/// </summary>
internal sealed class InstrumentSeries(Instrument instrument)
{
    private readonly Lock _gate = new();
    private Series[] _series = [];

    public Instrument Instrument { get; } = instrument;

    /// <summary>Observable instruments report running totals or current values: the last observation wins.</summary>
    public bool LastValueWins { get; } = instrument.IsObservable;

    public IReadOnlyList<Series> Snapshot => Volatile.Read(ref _series);

    public void Record(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var series = Find(tags);
        if (LastValueWins) Interlocked.Exchange(ref series.LongValue, value);
        else Interlocked.Add(ref series.LongValue, value);
    }

    public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var series = Find(tags);
        if (LastValueWins)
        {
            Interlocked.Exchange(ref series.DoubleValue, value);
            return;
        }
        var current = Volatile.Read(ref series.DoubleValue);
        while (true)
        {
            var seen = Interlocked.CompareExchange(ref series.DoubleValue, current + value, current);
            // Compare bits, so a NaN total cannot make the loop spin forever.
            if (BitConverter.DoubleToInt64Bits(seen) == BitConverter.DoubleToInt64Bits(current)) return;
            current = seen;
        }
    }

    private Series Find(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var series in Volatile.Read(ref _series))
        {
            if (series.Matches(tags)) return series;
        }
        lock (_gate)
        {
            foreach (var series in _series)
            {
                if (series.Matches(tags)) return series;
            }
            var added = new Series(tags.ToArray());
            _series = [.. _series, added];
            return added;
        }
    }

    /// <summary>One tag list and its value (long and double instruments use their own field).</summary>
    internal sealed class Series(KeyValuePair<string, object?>[] tags)
    {
        public long LongValue;
        public double DoubleValue;

        public KeyValuePair<string, object?>[] Tags { get; } = tags;

        public double Value => LongValue + DoubleValue;

        public bool Matches(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            if (tags.Length != Tags.Length) return false;
            for (var i = 0; i < tags.Length; i++)
            {
                var (key, value) = (Tags[i].Key, Tags[i].Value);
                if (!ReferenceEquals(key, tags[i].Key) && !string.Equals(key, tags[i].Key, StringComparison.Ordinal)) return false;
                if (!ReferenceEquals(value, tags[i].Value) && !Equals(value, tags[i].Value)) return false;
            }
            return true;
        }
    }
}
