using Collector.Processors.MemoryLimiter;

namespace Collector.Processors.Tests.MemoryLimiter;

/// <summary>Validation as the Collector's: one form of limit, spike below limit, check_interval required; errors name the key.</summary>
public class MemoryLimiterOptionsTests
{
    [Fact]
    public void Defaults_are_the_collectors_and_need_a_check_interval_and_a_limit()
    {
        var options = new MemoryLimiterOptions();

        Assert.Equal(TimeSpan.FromSeconds(10), options.MinGcIntervalWhenSoftLimited);
        Assert.Equal(TimeSpan.Zero, options.MinGcIntervalWhenHardLimited);
        Assert.Equal(
            ["check_interval: must be greater than 0 (1s is recommended), got 00:00:00", ": limit_mib or limit_percentage is required"],
            Errors(options));
    }

    [Theory]
    [InlineData(512, 0, 0, 0)]
    [InlineData(512, 100, 0, 0)]
    [InlineData(0, 0, 80, 0)]
    [InlineData(0, 0, 80, 20)]
    [InlineData(0, 0, 100, 99)]
    public void Valid_limits(int limitMib, int spikeMib, int limitPercent, int spikePercent)
    {
        var options = new MemoryLimiterOptions
        {
            CheckInterval = TimeSpan.FromSeconds(1),
            LimitMib = limitMib,
            SpikeLimitMib = spikeMib,
            LimitPercentage = limitPercent,
            SpikeLimitPercentage = spikePercent,
        };

        Assert.Empty(Errors(options));
    }

    [Theory]
    [InlineData(512, 0, 80, 0, "limit_percentage: cannot be combined with limit_mib or spike_limit_mib: give the limit in MiB or in percent, not both")]
    [InlineData(512, 0, 0, 20, "spike_limit_percentage: cannot be combined with limit_mib or spike_limit_mib: give the limit in MiB or in percent, not both")]
    [InlineData(512, 512, 0, 0, "spike_limit_mib: must be smaller than limit_mib (512), got 512")]
    [InlineData(0, 100, 0, 0, ": limit_mib is required with spike_limit_mib")]
    [InlineData(0, 0, 50, 50, "spike_limit_percentage: must be smaller than limit_percentage (50), got 50")]
    [InlineData(0, 0, 101, 0, "limit_percentage: must be at most 100, got 101")]
    [InlineData(0, 0, 0, 20, ": limit_percentage is required with spike_limit_percentage")]
    [InlineData(-1, 0, 0, 0, "limit_mib: must not be negative, got -1")]
    public void Invalid_limits_name_the_key(int limitMib, int spikeMib, int limitPercent, int spikePercent, string expected)
    {
        var options = new MemoryLimiterOptions
        {
            CheckInterval = TimeSpan.FromSeconds(1),
            LimitMib = limitMib,
            SpikeLimitMib = spikeMib,
            LimitPercentage = limitPercent,
            SpikeLimitPercentage = spikePercent,
        };

        Assert.Contains(expected, Errors(options));
    }

    [Fact]
    public void The_soft_limited_gc_interval_may_not_be_shorter_than_the_hard_limited_one()
    {
        var options = new MemoryLimiterOptions
        {
            CheckInterval = TimeSpan.FromSeconds(1),
            LimitMib = 100,
            MinGcIntervalWhenSoftLimited = TimeSpan.FromSeconds(1),
            MinGcIntervalWhenHardLimited = TimeSpan.FromSeconds(5),
        };

        Assert.Equal(["min_gc_interval_when_soft_limited: must be at least min_gc_interval_when_hard_limited (00:00:05), got 00:00:01"], Errors(options));
    }

    private static List<string> Errors(MemoryLimiterOptions options) => [.. options.Validate().Select(e => $"{e.Key}: {e.Message}")];
}
