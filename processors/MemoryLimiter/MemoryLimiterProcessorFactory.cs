using Collector.Core.Components;

namespace Collector.Processors.MemoryLimiter;

public sealed class MemoryLimiterProcessorFactory : ProcessorFactory<MemoryLimiterOptions>
{
    public override string Type => "memory_limiter";

    public override string Description => "Refuses new samples (retryable) while the process's memory is above a soft limit, and forces a garbage collection above the limit.";

    /// <summary>It only counts samples and may refuse a batch whole, so it can stand first, ahead of pid_lifecycle, and shed load before any work is done.</summary>
    public override ProcessorCapabilities Capabilities { get; } = new()
    {
        RawSamples = RawSampleHandling.PassedThrough,
    };

    protected override IProcessor Create(ComponentCreateSettings settings, MemoryLimiterOptions options, IProfilesConsumer next) =>
        new MemoryLimiterProcessor(settings, options, next, new ProcessMemory(), () => AvailableMemory.Read());
}
