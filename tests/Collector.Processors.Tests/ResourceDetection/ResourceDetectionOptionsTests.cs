using Collector.Core.Components;
using Collector.Processors.ResourceDetection;

namespace Collector.Processors.Tests.ResourceDetection;

public class ResourceDetectionOptionsTests
{
    [Fact]
    public void Defaults_are_the_Collectors_env_detector_with_override()
    {
        var options = new ResourceDetectionOptions();

        Assert.Empty(options.Validate());
        Assert.Equal(["env"], options.Detectors);
        Assert.True(options.Override);
    }

    [Fact]
    public void An_unknown_or_repeated_detector_names_its_path()
    {
        var options = new ResourceDetectionOptions { Detectors = ["system", "ec2", "system"] };

        Assert.Equal(
        [
            new("detectors::1", "unknown detector \"ec2\": one of env, system"),
            new OptionsError("detectors::2", "detector \"system\" is listed twice"),
        ], options.Validate());
    }

    [Fact]
    public void The_factory_is_the_resourcedetection_processor_and_needs_process_resources()
    {
        var factory = new ResourceDetectionProcessorFactory();

        Assert.Equal("resourcedetection", factory.Type);
        Assert.Equal(ComponentKind.Processor, factory.Kind);
        Assert.IsType<ResourceDetectionOptions>(factory.CreateDefaultOptions());
        Assert.Equal(PipelineFacts.ProcessResources, factory.Capabilities.Needs);
    }
}
