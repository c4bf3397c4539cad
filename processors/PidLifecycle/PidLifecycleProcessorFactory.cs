using Collector.Core.Components;

namespace Collector.Processors.PidLifecycle;

public sealed class PidLifecycleProcessorFactory : ProcessorFactory<PidLifecycleOptions>
{
    public override string Type => "pid_lifecycle";

    public override string Description =>
        "Tracks processes by (pid, start time) through exec, exit and pid reuse, and turns raw samples into profiles whose user frames carry mapping, file offset and build id; keeps mapped files readable for later processors.";

    protected override IProcessor Create(ComponentCreateSettings settings, PidLifecycleOptions options, IProfilesConsumer next) =>
        new PidLifecycleProcessor(settings, options, next, ElfBuildIdReader.Instance);
}
