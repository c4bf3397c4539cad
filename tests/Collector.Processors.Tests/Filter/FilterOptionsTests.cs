using Collector.Core.Components;
using Collector.Processors.Filter;

namespace Collector.Processors.Tests.Filter;

public class FilterOptionsTests
{
    [Fact]
    public void Without_include_or_exclude_everything_passes_and_the_options_are_valid()
    {
        Assert.Empty(new FilterOptions().Validate());
    }

    [Fact]
    public void An_empty_block_is_refused_because_it_would_say_nothing()
    {
        var error = Assert.Single(new FilterOptions { Include = new SampleMatchOptions() }.Validate());

        Assert.Equal("include", error.Key);
        Assert.StartsWith("give at least one of process_names", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_bad_pattern_names_its_path()
    {
        var options = new FilterOptions
        {
            Include = new SampleMatchOptions { ProcessNames = ["^ok$", "(unclosed"], FunctionNames = ["[z-a]"] },
            Exclude = new SampleMatchOptions
            {
                ExecutablePaths = ["/usr/.*"],
                ContainerIds = [@"(a)\1"],
                ResourceAttributes = [new() { Key = "k8s.namespace.name", Value = "^prod" }, new() { Value = "(" }],
            },
        };

        Assert.Equal(
            ["include::process_names::1", "include::function_names::0", "exclude::container_ids::0", "exclude::resource_attributes::1::key", "exclude::resource_attributes::1::value"],
            options.Validate().Select(e => e.Key));
        Assert.All(options.Validate().Where(e => !e.Key!.EndsWith("key", StringComparison.Ordinal)), e => Assert.Contains("is not a usable regular expression", e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void The_factory_is_the_filter_processor_and_needs_resources_and_names()
    {
        var factory = new FilterProcessorFactory();

        Assert.Equal("filter", factory.Type);
        Assert.Equal(ComponentKind.Processor, factory.Kind);
        Assert.IsType<FilterOptions>(factory.CreateDefaultOptions());
        Assert.Equal(PipelineFacts.ProcessResources | PipelineFacts.FunctionNames, factory.Capabilities.Needs);
    }
}
