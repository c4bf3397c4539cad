using Collector.Config.Errors;
using Collector.Config.Yaml;

namespace Collector.Config.Tests.Errors;

public sealed class ConfigErrorsTests
{
    [Fact]
    public void Formats_path_message_and_location()
    {
        var errors = new ConfigErrors();
        errors.Add("exporters::file", "path is required", new ConfigLocation("x.yaml", 0, 12));
        errors.Add("", "unknown key \"x\"", new ConfigLocation("x.yaml", 0, 1));
        errors.Add("service", "the section is missing", null);
        errors.AddSyntax(new ConfigLocation("y.yaml", 1, 3), "invalid YAML: oops");

        Assert.Equal(
        [
            "unknown key \"x\" (x.yaml:1)",
            "exporters::file: path is required (x.yaml:12)",
            "y.yaml:3: invalid YAML: oops",
            "service: the section is missing",
        ], errors.Sorted());
    }

    [Fact]
    public void Sorts_by_source_order_then_line_keeping_discovery_order_within_a_line()
    {
        var errors = new ConfigErrors();
        errors.Add("b", "second file", new ConfigLocation("b.yaml", 1, 1));
        errors.Add("a", "line 9", new ConfigLocation("a.yaml", 0, 9));
        errors.Add("a", "line 2, found first", new ConfigLocation("a.yaml", 0, 2));
        errors.Add("a", "line 2, found second", new ConfigLocation("a.yaml", 0, 2));

        Assert.Equal(
        [
            "a: line 2, found first (a.yaml:2)",
            "a: line 2, found second (a.yaml:2)",
            "a: line 9 (a.yaml:9)",
            "b: second file (b.yaml:1)",
        ], errors.Sorted());
        Assert.True(errors.Any);
        Assert.False(new ConfigErrors().Any);
    }

    [Fact]
    public void Paths_join_with_double_colons()
    {
        Assert.Equal("exporters", ConfigPath.Combine("", "exporters"));
        Assert.Equal("exporters::file::rotation", ConfigPath.Combine("exporters::file", "rotation"));
        Assert.Equal("receivers::x::ports::3", ConfigPath.Combine("receivers::x::ports", 3));
    }
}
