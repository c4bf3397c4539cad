using System.Globalization;
using Collector.Core.Components;

namespace Collector.Processors.MemoryLimiter;

/// <summary>
/// Options of the <c>memory_limiter</c> processor, with the OpenTelemetry Collector's names and defaults. The
/// limit is given in one of two forms: <c>limit_mib</c> (with <c>spike_limit_mib</c>), or <c>limit_percentage</c>
/// (with <c>spike_limit_percentage</c>) of the memory available to the process (its cgroup's limit, else the
/// machine's). The hard limit is the limit; the soft limit is the limit minus the spike.
/// </summary>
public sealed class MemoryLimiterOptions : IComponentOptions
{
    /// <summary>How often memory is measured. Required; the Collector recommends 1s.</summary>
    public TimeSpan CheckInterval { get; set; }

    /// <summary>The hard limit in MiB.</summary>
    public int LimitMib { get; set; }

    /// <summary>The largest growth expected between two checks, in MiB; 0 means 20% of <see cref="LimitMib"/>.</summary>
    public int SpikeLimitMib { get; set; }

    /// <summary>The hard limit as a percentage of the memory available.</summary>
    public int LimitPercentage { get; set; }

    /// <summary>The spike as a percentage of the memory available; 0 means 20% of the limit, as for <see cref="SpikeLimitMib"/>.</summary>
    public int SpikeLimitPercentage { get; set; }

    /// <summary>Shortest time between two collections forced while above the soft limit only (the Collector's default).</summary>
    public TimeSpan MinGcIntervalWhenSoftLimited { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Shortest time between two collections forced while above the hard limit; 0 allows one at every check.</summary>
    public TimeSpan MinGcIntervalWhenHardLimited { get; set; }

    public IEnumerable<OptionsError> Validate()
    {
        if (CheckInterval <= TimeSpan.Zero)
        {
            yield return new OptionsError("check_interval", $"must be greater than 0 (1s is recommended), got {Show(CheckInterval)}");
        }
        if (MinGcIntervalWhenSoftLimited < TimeSpan.Zero || MinGcIntervalWhenHardLimited < TimeSpan.Zero)
        {
            yield return new OptionsError(MinGcIntervalWhenSoftLimited < TimeSpan.Zero ? "min_gc_interval_when_soft_limited" : "min_gc_interval_when_hard_limited", "must not be negative");
        }
        else if (MinGcIntervalWhenSoftLimited < MinGcIntervalWhenHardLimited)
        {
            yield return new OptionsError("min_gc_interval_when_soft_limited",
                $"must be at least min_gc_interval_when_hard_limited ({Show(MinGcIntervalWhenHardLimited)}), got {Show(MinGcIntervalWhenSoftLimited)}");
        }
        foreach (var error in ValidateLimits()) yield return error;
    }

    private IEnumerable<OptionsError> ValidateLimits()
    {
        foreach (var (key, value) in new[] { ("limit_mib", LimitMib), ("spike_limit_mib", SpikeLimitMib), ("limit_percentage", LimitPercentage), ("spike_limit_percentage", SpikeLimitPercentage) })
        {
            if (value < 0) yield return new OptionsError(key, $"must not be negative, got {value}");
        }
        var inMib = LimitMib > 0 || SpikeLimitMib > 0;
        var inPercent = LimitPercentage > 0 || SpikeLimitPercentage > 0;
        if (inMib && inPercent)
        {
            // The Collector lets limit_mib win silently; a config that says two things is more likely a mistake.
            yield return new OptionsError(LimitPercentage > 0 ? "limit_percentage" : "spike_limit_percentage",
                "cannot be combined with limit_mib or spike_limit_mib: give the limit in MiB or in percent, not both");
            yield break;
        }
        if (inMib)
        {
            if (LimitMib <= 0) yield return new OptionsError(null, "limit_mib is required with spike_limit_mib");
            else if (SpikeLimitMib >= LimitMib) yield return new OptionsError("spike_limit_mib", $"must be smaller than limit_mib ({LimitMib}), got {SpikeLimitMib}");
        }
        else if (inPercent)
        {
            if (LimitPercentage > 100) yield return new OptionsError("limit_percentage", $"must be at most 100, got {LimitPercentage}");
            if (LimitPercentage <= 0) yield return new OptionsError(null, "limit_percentage is required with spike_limit_percentage");
            else if (SpikeLimitPercentage >= LimitPercentage) yield return new OptionsError("spike_limit_percentage", $"must be smaller than limit_percentage ({LimitPercentage}), got {SpikeLimitPercentage}");
        }
        else
        {
            yield return new OptionsError(null, "limit_mib or limit_percentage is required");
        }
    }

    private static string Show(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);
}
