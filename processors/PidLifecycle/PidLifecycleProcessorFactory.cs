using Collector.Core.Components;

namespace Collector.Processors.PidLifecycle;

public sealed class PidLifecycleProcessorFactory : ProcessorFactory<PidLifecycleOptions>
{
    public override string Type => "pid_lifecycle";

    public override string Description =>
        "Tracks processes by (pid, start time) through exec, exit and pid reuse, and turns raw samples into profiles whose user frames carry mapping, file offset and build id; keeps mapped files readable for later processors.";

    /// <summary>It alone knows mappings and build ids, so it must see samples raw; it makes the process resources others read.</summary>
    public override ProcessorCapabilities Capabilities { get; } = new()
    {
        RawSamples = RawSampleHandling.Consumed,
        Provides = PipelineFacts.ProcessResources,
    };

    protected override IProcessor Create(ComponentCreateSettings settings, PidLifecycleOptions options, IProfilesConsumer next) =>
        new PidLifecycleProcessor(settings, options, next, ElfBuildIdReader.Instance);
}
