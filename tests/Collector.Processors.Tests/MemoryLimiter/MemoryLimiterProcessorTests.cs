using Collector.Core.Components;
using Collector.Core.Telemetry;
using Collector.Processors.MemoryLimiter;
using Collector.Telemetry;
using Collector.Telemetry.Exposition;
using Microsoft.Extensions.Logging;
using static Collector.Processors.Tests.MemoryLimiter.LimiterHarness;

namespace Collector.Processors.Tests.MemoryLimiter;

/// <summary>
/// limit 100 MiB, spike 20 MiB: soft limit 80 MiB. Memory is whatever the test sets; each check_interval (1 s) is
/// one step of a fake clock.
/// </summary>
public class MemoryLimiterProcessorTests
{
    [Fact]
    public async Task Below_the_soft_limit_every_batch_passes_unchanged()
    {
        await using var harness = new LimiterHarness(Options());
        harness.Memory.Bytes = 50 * Mib;
        await harness.StartAsync();
        var batch = Samples(3);

        await harness.SendAsync(batch);

        Assert.Same(batch, Assert.Single(harness.Next.Batches));
        Assert.False(harness.Processor.IsRefusing);
        Assert.Empty(harness.Memory.Collections);
    }

    [Fact]
    public async Task Above_the_soft_limit_samples_are_refused_as_retryable_until_a_check_finds_memory_below_it_again()
    {
        await using var harness = new LimiterHarness(Options());
        harness.Memory.Bytes = 50 * Mib;
        await harness.StartAsync();

        harness.UseThenTick(90);
        var refused = await Assert.ThrowsAsync<RetryableException>(() => harness.SendAsync(Samples(5)).AsTask());
        Assert.Equal(MemoryLimiterProcessor.RefusalMessage, refused.Message);
        Assert.Empty(harness.Next.Batches);

        // Memory falls, but nothing changes before the next check: batches are never what triggers a measurement.
        harness.Memory.Bytes = 60 * Mib;
        await Assert.ThrowsAsync<RetryableException>(() => harness.SendAsync(Samples(1)).AsTask());

        harness.Clock.Advance(TimeSpan.FromSeconds(1));
        await harness.SendAsync(Samples(2));
        Assert.Equal(2, Assert.Single(harness.Next.Batches).SampleCount);
        Assert.Contains(harness.Logs.At(LogLevel.Warning), m => m.Contains("above the soft limit of 80 MiB: refusing", StringComparison.Ordinal));
        Assert.Contains(harness.Logs.At(LogLevel.Information), m => m.Contains("accepting samples again (6 refused meanwhile)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Control_data_passes_while_samples_are_refused()
    {
        await using var harness = new LimiterHarness(Options());
        harness.Memory.Bytes = 500 * Mib;
        await harness.StartAsync();
        Assert.True(harness.Processor.IsRefusing);
        var control = ControlOnly();

        await harness.SendAsync(control);

        Assert.Same(control, Assert.Single(harness.Next.Batches));
    }

    [Fact]
    public async Task A_batch_with_samples_and_control_data_is_refused_whole_so_the_caller_keeps_it_all()
    {
        await using var harness = new LimiterHarness(Options());
        harness.Memory.Bytes = 95 * Mib;
        await harness.StartAsync();
        var mixed = Samples(4);
        mixed.ProcessEvents.AddRange(ControlOnly().ProcessEvents);

        await Assert.ThrowsAsync<RetryableException>(() => harness.SendAsync(mixed).AsTask());

        Assert.Empty(harness.Next.Batches);
        Assert.Equal(4, mixed.SampleCount);
        Assert.Single(mixed.ProcessEvents);
    }

    [Fact]
    public async Task Above_the_hard_limit_a_collection_that_returns_memory_is_forced_at_every_check_and_can_end_the_refusal_at_once()
    {
        await using var harness = new LimiterHarness(Options());
        harness.Memory.Bytes = 50 * Mib;
        await harness.StartAsync();

        harness.UseThenTick(120);
        harness.UseThenTick(130);
        Assert.Equal([true, true], harness.Memory.Collections);
        Assert.True(harness.Processor.IsRefusing);
        Assert.Contains(harness.Logs.At(LogLevel.Warning), m => m.Contains("above the hard limit of 100 MiB: forced a garbage collection", StringComparison.Ordinal));

        // A collection that brings memory under the soft limit lifts the refusal in the same check.
        harness.Memory.BytesAfterCollection = 40 * Mib;
        harness.UseThenTick(140);
        Assert.False(harness.Processor.IsRefusing);
        await harness.SendAsync(Samples(1));
        Assert.Single(harness.Next.Batches);
    }

    [Fact]
    public async Task Between_the_limits_collections_are_gentler_and_at_most_one_per_min_gc_interval_when_soft_limited()
    {
        await using var harness = new LimiterHarness(Options());
        harness.Memory.Bytes = 50 * Mib;
        await harness.StartAsync();

        for (var second = 0; second < 25; second++) harness.UseThenTick(90);

        // Checks at 1..25 s: the first above the soft limit collects, then every 10 s (the Collector's default).
        Assert.Equal([false, false, false], harness.Memory.Collections);
        Assert.True(harness.Processor.IsRefusing);
    }

    [Fact]
    public async Task Min_gc_interval_when_hard_limited_spaces_the_aggressive_collections()
    {
        var options = Options();
        options.MinGcIntervalWhenHardLimited = TimeSpan.FromSeconds(5);
        await using var harness = new LimiterHarness(options);
        harness.Memory.Bytes = 50 * Mib;
        await harness.StartAsync();

        for (var second = 0; second < 10; second++) harness.UseThenTick(150);

        Assert.Equal(2, harness.Memory.Collections.Count);
    }

    [Fact]
    public async Task Checks_run_on_the_timer_from_start_to_shutdown_only()
    {
        var harness = new LimiterHarness(Options());
        harness.Memory.Bytes = 90 * Mib;
        Assert.False(harness.Processor.IsRefusing);
        Assert.Equal(0, harness.Clock.ArmedTimers);

        await harness.StartAsync();
        Assert.True(harness.Processor.IsRefusing); // checked at start, not a check_interval later
        Assert.Equal(1, harness.Clock.ArmedTimers);

        await harness.DisposeAsync();
        Assert.Equal(0, harness.Clock.ArmedTimers);
    }

    [Fact]
    public async Task Refused_and_accepted_samples_are_counted_under_the_collectors_names()
    {
        using var telemetry = new CollectorTelemetry(TelemetryLevel.Normal);
        await using var harness = new LimiterHarness(Options(), telemetry);
        harness.Memory.Bytes = 10 * Mib;
        await harness.StartAsync();
        await harness.SendAsync(Samples(3));
        harness.UseThenTick(99);
        await Assert.ThrowsAsync<RetryableException>(() => harness.SendAsync(Samples(7)).AsTask());
        await harness.SendAsync(ControlOnly());

        var families = telemetry.Collect();
        Assert.Equal(3, Value(families, MemoryLimiterMetrics.AcceptedSamples));
        Assert.Equal(7, Value(families, MemoryLimiterMetrics.RefusedSamples));
        Assert.Equal("otelcol_processor_memory_limiter_refused_profile_samples", MemoryLimiterMetrics.RefusedSamples.PrometheusName);
    }

    [Fact]
    public async Task The_percentage_form_takes_its_share_of_the_memory_available()
    {
        var options = new MemoryLimiterOptions { CheckInterval = TimeSpan.FromSeconds(1), LimitPercentage = 50, SpikeLimitPercentage = 10 };
        await using var harness = new LimiterHarness(options, availableBytes: 1000 * Mib);

        Assert.Equal(500 * Mib, harness.Processor.Limits.HardBytes);
        Assert.Equal(400 * Mib, harness.Processor.Limits.SoftBytes);
    }

    [Fact]
    public async Task Without_a_spike_the_soft_limit_is_80_percent_of_the_limit()
    {
        await using var harness = new LimiterHarness(Options(limitMib: 200, spikeLimitMib: 0));

        Assert.Equal(200 * Mib, harness.Processor.Limits.HardBytes);
        Assert.Equal(160 * Mib, harness.Processor.Limits.SoftBytes);
    }

    [Fact]
    public void The_factory_declares_that_raw_samples_pass_through_so_it_may_stand_first()
    {
        var factory = new MemoryLimiterProcessorFactory();

        Assert.Equal("memory_limiter", factory.Type);
        Assert.Equal(RawSampleHandling.PassedThrough, factory.Capabilities.RawSamples);
        Assert.Equal(PipelineFacts.None, factory.Capabilities.Needs);
    }

    [Fact]
    public void The_real_reading_is_the_resident_set_size()
    {
        var rss = new ProcessMemory().UsedBytes();

        // statm and the runtime's working set read the same kernel counter at nearly the same moment.
        Assert.InRange(rss, Environment.WorkingSet / 2, Environment.WorkingSet * 2);
    }

    private static double? Value(IReadOnlyList<MetricFamily> families, MetricDefinition metric) =>
        families.FirstOrDefault(f => f.Name == metric.PrometheusName)?.Series.Single().Value;
}
