using Collector.Core.Components;

// "Resources", not "Resource": a namespace named Resource would hide the model's Resource type from every processor.
namespace Collector.Processors.Resources;

public sealed class ResourceProcessorFactory : ProcessorFactory<ResourceOptions>
{
    public override string Type => "resource";

    public override string Description => "Inserts, updates, upserts or deletes resource attributes, with a value or copied from another attribute.";

    /// <summary>It edits the per-process resources <c>pid_lifecycle</c> makes, so it comes after it when both are there.</summary>
    public override ProcessorCapabilities Capabilities { get; } = new() { Needs = PipelineFacts.ProcessResources };

    protected override IProcessor Create(ComponentCreateSettings settings, ResourceOptions options, IProfilesConsumer next) =>
        new ResourceProcessor(settings, options, next);
}
