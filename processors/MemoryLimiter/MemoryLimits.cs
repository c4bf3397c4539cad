namespace Collector.Processors.MemoryLimiter;

/// <summary>
/// The two thresholds in bytes. Above <see cref="SoftBytes"/> (limit − spike) new data is refused; above
/// <see cref="HardBytes"/> (the limit) a collection is forced as well.
/// </summary>
internal readonly record struct MemoryLimits(long HardBytes, long SoftBytes)
{
    private const long Mebibyte = 1024 * 1024;

    /// <summary>The spike when none is given: the Collector's 20% of the limit.</summary>
    private const int DefaultSpikePercentOfLimit = 20;

    /// <summary>
    /// Limits from validated options. <paramref name="availableBytes"/> is asked for only with the percentage
    /// form, so a limit in MiB never reads the cgroup or /proc/meminfo.
    /// </summary>
    public static MemoryLimits From(MemoryLimiterOptions options, Func<long> availableBytes)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(availableBytes);
        long hard, spike;
        if (options.LimitMib > 0)
        {
            hard = options.LimitMib * Mebibyte;
            spike = options.SpikeLimitMib > 0 ? options.SpikeLimitMib * Mebibyte : hard * DefaultSpikePercentOfLimit / 100;
        }
        else
        {
            var available = availableBytes();
            hard = available / 100 * options.LimitPercentage;
            spike = options.SpikeLimitPercentage > 0 ? available / 100 * options.SpikeLimitPercentage : hard * DefaultSpikePercentOfLimit / 100;
        }
        return new MemoryLimits(hard, hard - spike);
    }

    public override string ToString() => $"hard limit {Mib(HardBytes)} MiB, soft limit {Mib(SoftBytes)} MiB";

    public static long Mib(long bytes) => bytes / Mebibyte;
}
