using Collector.Core.Components;
using Collector.Processors.Resources;

namespace Collector.Processors.Tests.Resources;

public class ResourceOptionsTests
{
    [Fact]
    public void Attributes_are_required_as_in_the_Collector()
    {
        var error = Assert.Single(new ResourceOptions().Validate());

        Assert.Equal(OptionsError.Required("attributes"), error);
    }

    [Fact]
    public void A_value_or_a_source_attribute_per_action_is_valid()
    {
        var options = new ResourceOptions
        {
            Attributes =
            [
                new() { Key = "a", Value = "1", Action = AttributeActionKind.Insert },
                new() { Key = "b", FromAttribute = "a", Action = AttributeActionKind.Update },
                new() { Key = "c", Value = "", Action = AttributeActionKind.Upsert },
                new() { Key = "d", Action = AttributeActionKind.Delete },
            ],
        };

        Assert.Empty(options.Validate());
    }

    [Fact]
    public void Each_bad_entry_names_its_path()
    {
        var options = new ResourceOptions
        {
            Attributes =
            [
                new() { Key = "a", Value = "1" },
                new() { Value = "1", Action = AttributeActionKind.Insert },
                new() { Key = "c", Action = AttributeActionKind.Upsert },
                new() { Key = "d", Value = "1", FromAttribute = "x", Action = AttributeActionKind.Update },
                new() { Key = "e", Value = "1", Action = AttributeActionKind.Delete },
                new() { Key = "f", FromAttribute = "", Action = AttributeActionKind.Insert },
            ],
        };

        Assert.Equal(
        [
            new("attributes::0::action", "is required: one of insert, update, upsert, delete"),
            new("attributes::1::key", "is required"),
            new("attributes::2", "action upsert needs value or from_attribute"),
            new("attributes::3", "give value or from_attribute, not both"),
            new("attributes::4", "action delete takes neither value nor from_attribute"),
            new OptionsError("attributes::5::from_attribute", "must not be empty"),
        ], options.Validate());
    }

    [Fact]
    public void The_factory_is_the_resource_processor_and_needs_process_resources()
    {
        var factory = new ResourceProcessorFactory();

        Assert.Equal("resource", factory.Type);
        Assert.Equal(ComponentKind.Processor, factory.Kind);
        Assert.IsType<ResourceOptions>(factory.CreateDefaultOptions());
        Assert.Equal(PipelineFacts.ProcessResources, factory.Capabilities.Needs);
        Assert.Equal(PipelineFacts.None, factory.Capabilities.Provides);
    }
}
