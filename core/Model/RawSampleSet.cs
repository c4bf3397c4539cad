namespace Collector.Core.Model;

/// <summary>Raw samples of one report interval, with what is needed to place them in wall-clock time.</summary>
public sealed class RawSampleSet
{
    /// <summary>Unix time in nanoseconds at kernel monotonic time zero: timestamp = this + ktime.</summary>
    public ulong BootTimeUnixNano { get; init; }

    /// <summary>Nanoseconds of CPU time one sample stands for (1e9 / samples per second).</summary>
    public long PeriodNanos { get; init; }

    public List<RawSample> Samples { get; init; } = [];

    public ulong ToUnixNano(ulong ktimeNanos) => BootTimeUnixNano + ktimeNanos;
}
