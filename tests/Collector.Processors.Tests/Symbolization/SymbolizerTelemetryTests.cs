using Collector.Core.Components;
using Collector.Core.Telemetry;
using Collector.Processors.Symbolization;
using Collector.Processors.Tests.Symbolization.Kernel;
using Collector.Telemetry;
using Collector.Telemetry.Exposition;
using static Collector.Processors.Tests.Symbolization.Batches;

namespace Collector.Processors.Tests.Symbolization;

public sealed class SymbolizerTelemetryTests : IDisposable
{
    private readonly SymbolizerSandbox _sandbox = new();
    private readonly CollectorTelemetry _collector = new(TelemetryLevel.Normal);

    [Fact]
    public async Task Frames_by_outcome_and_cache_counters_reach_the_metrics_labelled_by_source_reason_and_cache()
    {
        _sandbox.WriteKallsyms(KallsymsParserTests.CoreAndE1000);
        var settings = Settings.For("symbolization", ComponentKind.Processor, _sandbox.Clock, _sandbox.Logs, _collector);
        var processor = new SymbolizationProcessor(settings, new SymbolizationOptions(), new CapturingConsumer(), _sandbox.Environment);
        await processor.ConsumeAsync(Of(Process(1, Stack(KernelFrame(0xffffffff81001010), KernelFrame(0xffffffff90000000)))), default);
        await processor.ConsumeAsync(Of(Process(1, Stack(KernelFrame(0xffffffff81001010)))), default);

        var families = _collector.Collect();
        Assert.Equal(2, Value(families, SymbolizationMetrics.SymbolizedFrames, ("source", "kernel")));
        Assert.Equal(0, Value(families, SymbolizationMetrics.SymbolizedFrames, ("source", "elf")));
        Assert.Equal(1, Value(families, ProfilerMetrics.UnnamedFrames, ("reason", "kernel_address_unknown")));
        Assert.Equal(1, Value(families, ProfilerMetrics.SymbolCacheEntries, ("cache", "kallsyms")));
        Assert.Equal(1, Value(families, ProfilerMetrics.SymbolCacheMisses, ("cache", "kallsyms")));
        Assert.Equal(2, Value(families, ProfilerMetrics.SymbolCacheHits, ("cache", "kallsyms")));
        Assert.Equal(0, Value(families, ProfilerMetrics.SymbolCacheEvictions, ("cache", "elf"), ("reason", "expired")));
        await processor.ShutdownAsync(default);
        await processor.ShutdownAsync(default);
        var summary = Assert.Single(_sandbox.Logs.Entries, e => e.Message.StartsWith("Stopped", StringComparison.Ordinal)).Message;
        Assert.Contains("by source kernel 2;", summary, StringComparison.Ordinal);
        Assert.Contains("by reason kernel_address_unknown 1;", summary, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _collector.Dispose();
        _sandbox.Dispose();
    }

    private static double Value(IReadOnlyList<MetricFamily> families, MetricDefinition metric, params (string Name, string Value)[] labels)
    {
        var family = families.Single(f => f.Name == metric.PrometheusName);
        return family.Series.Single(series => labels.All(label => series.Labels.Any(l => l.Name == label.Name && l.Value == label.Value))).Value;
    }
}
