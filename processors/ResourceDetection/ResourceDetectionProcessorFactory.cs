using Collector.Core.Components;

namespace Collector.Processors.ResourceDetection;

public sealed class ResourceDetectionProcessorFactory : ProcessorFactory<ResourceDetectionOptions>
{
    public override string Type => "resourcedetection";

    public override string Description => "Adds what it detects once at start (OTEL_RESOURCE_ATTRIBUTES; host name, OS type, architecture) to every resource.";

    /// <summary>It annotates the per-process resources <c>pid_lifecycle</c> makes, so it comes after it when both are there.</summary>
    public override ProcessorCapabilities Capabilities { get; } = new() { Needs = PipelineFacts.ProcessResources };

    protected override IProcessor Create(ComponentCreateSettings settings, ResourceDetectionOptions options, IProfilesConsumer next) =>
        new ResourceDetectionProcessor(settings, options, next, DetectionSources.Machine);
}
