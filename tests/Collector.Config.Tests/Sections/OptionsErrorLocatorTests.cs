using Collector.Config.Errors;
using Collector.Config.Sections;
using Collector.Config.Yaml;

namespace Collector.Config.Tests.Sections;

public sealed class OptionsErrorLocatorTests
{
    private static readonly MappingEntry Component = ReadComponent("""
        exporters:
          file:
            path: /tmp/out.json
            rotation:
              max_megabytes: 0
            headers:
              - name: a
              - name: b
                value: c
        """);

    private static MappingEntry ReadComponent(string yaml)
    {
        var root = YamlTreeReader.Read(new ConfigSource("x.yaml", yaml), 0, new ConfigErrors())!;
        return ((MappingNode)root.Find("exporters")!.Value).Find("file")!;
    }

    [Theory]
    [InlineData(null, 2)]
    [InlineData("path", 3)]
    [InlineData("rotation", 4)]
    [InlineData("rotation::max_megabytes", 5)]
    [InlineData("rotation::max_days", 4)]
    [InlineData("compression", 2)]
    [InlineData("headers::1", 8)]
    [InlineData("headers::1::value", 9)]
    [InlineData("headers::0::value", 7)]
    [InlineData("headers::5", 6)]
    [InlineData("path::deeper", 3)]
    public void Finds_the_key_or_its_nearest_present_ancestor(string? key, int line)
    {
        Assert.Equal(line, OptionsErrorLocator.Find(Component, key).Line);
    }
}
