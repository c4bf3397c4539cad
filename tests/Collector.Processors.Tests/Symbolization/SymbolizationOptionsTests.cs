using Collector.Core.Components;
using Collector.Processors.Symbolization;

namespace Collector.Processors.Tests.Symbolization;

public class SymbolizationOptionsTests
{
    [Fact]
    public void Defaults_are_valid_with_one_hour_lifetime()
    {
        var options = (SymbolizationOptions)new SymbolizationProcessorFactory().CreateDefaultOptions();
        Assert.Empty(options.Validate());
        Assert.Equal(TimeSpan.FromHours(1), options.CacheLifetime);
        Assert.Equal(["/usr/lib/debug"], options.DebugDirectories);
    }

    [Fact]
    public void The_factory_makes_a_mutating_processor_of_type_symbolization()
    {
        var factory = new SymbolizationProcessorFactory();
        Assert.Equal("symbolization", factory.Type);
        Assert.Equal(ComponentKind.Processor, factory.Kind);
        var settings = Settings.For("symbolization", ComponentKind.Processor, logs: new CapturingLoggerFactory());
        var processor = factory.CreateProcessor(settings, factory.CreateDefaultOptions(), new CapturingConsumer());
        Assert.True(processor.MutatesData);
    }

    [Fact]
    public void Each_bad_value_is_reported_under_its_key()
    {
        var options = new SymbolizationOptions { CacheLifetime = TimeSpan.FromMilliseconds(10), MaxCachedFiles = 0, DebugDirectories = ["relative/debug"] };
        var errors = options.Validate().ToList();
        Assert.Equal(["cache_lifetime", "max_cached_files", "debug_directories"], errors.Select(e => e.Key));
        Assert.Contains("at least 1s", errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("relative/debug", errors[2].Message, StringComparison.Ordinal);
    }
}
