using Collector.Core.Components;

namespace Collector.Processors.Filter;

public sealed class FilterProcessorFactory : ProcessorFactory<FilterOptions>
{
    public override string Type => "filter";

    public override string Description => "Keeps or drops samples by process name, executable path, container id, resource attribute and function name (regular expressions), and counts what it drops.";

    /// <summary>It reads the process resources <c>pid_lifecycle</c> makes and the names <c>symbolization</c> gives frames.</summary>
    public override ProcessorCapabilities Capabilities { get; } = new() { Needs = PipelineFacts.ProcessResources | PipelineFacts.FunctionNames };

    protected override IProcessor Create(ComponentCreateSettings settings, FilterOptions options, IProfilesConsumer next) =>
        new FilterProcessor(settings, options, next);
}
