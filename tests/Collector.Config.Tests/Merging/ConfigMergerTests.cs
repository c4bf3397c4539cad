using Collector.Config.Errors;
using Collector.Config.Merging;
using Collector.Config.Tests.Fakes;
using Collector.Config.Yaml;

namespace Collector.Config.Tests.Merging;

public sealed class ConfigMergerTests
{
    private static MappingNode Parse(string name, int index, string yaml)
    {
        var errors = new ConfigErrors();
        var root = YamlTreeReader.Read(new ConfigSource(name, yaml), index, errors);
        Assert.False(errors.Any);
        return root!;
    }

    private static ConfigNode At(MappingNode root, params string[] keys)
    {
        ConfigNode node = root;
        foreach (var key in keys)
        {
            node = Assert.IsType<MappingNode>(node).Find(key)!.Value;
        }
        return node;
    }

    private static ConfigLoader Loader() => TestConfig.Loader();

    [Fact]
    public void Mappings_merge_recursively_and_later_scalars_and_sequences_win()
    {
        var merged = ConfigMerger.Merge(
        [
            Parse("a.yaml", 0, """
                exporters:
                  file:
                    path: /a
                    format: json
                    tags: [x, y]
                """),
            Parse("b.yaml", 1, """
                exporters:
                  file:
                    path: /b
                    tags: [z]
                  debug:
                """),
        ]);

        Assert.Equal(["file", "debug"], Assert.IsType<MappingNode>(At(merged, "exporters")).Entries.Select(e => e.Key));
        var file = Assert.IsType<MappingNode>(At(merged, "exporters", "file"));
        Assert.Equal(["path", "format", "tags"], file.Entries.Select(e => e.Key));
        Assert.Equal("/b", Assert.IsType<ScalarNode>(At(merged, "exporters", "file", "path")).Value);
        Assert.Equal("json", Assert.IsType<ScalarNode>(At(merged, "exporters", "file", "format")).Value);
        Assert.Equal(["z"], Assert.IsType<SequenceNode>(At(merged, "exporters", "file", "tags")).Items.Select(i => ((ScalarNode)i).Value));
    }

    [Fact]
    public void Merged_nodes_keep_the_location_of_the_source_that_supplied_them()
    {
        var merged = ConfigMerger.Merge(
        [
            Parse("a.yaml", 0, """
                exporters:
                  file:
                    path: /a
                    format: json
                """),
            Parse("b.yaml", 1, """
                # override
                exporters:
                  file:
                    path: /b
                """),
        ]);

        var file = Assert.IsType<MappingNode>(At(merged, "exporters")).Find("file")!;
        Assert.Equal(new ConfigLocation("a.yaml", 0, 2), file.KeyLocation);
        Assert.Equal(new ConfigLocation("b.yaml", 1, 4), Assert.IsType<MappingNode>(file.Value).Find("path")!.KeyLocation);
        Assert.Equal(new ConfigLocation("a.yaml", 0, 4), Assert.IsType<MappingNode>(file.Value).Find("format")!.KeyLocation);
    }

    [Fact]
    public void A_later_null_replaces_an_earlier_mapping()
    {
        var merged = ConfigMerger.Merge(
        [
            Parse("a.yaml", 0, "exporters:\n  debug:\n    verbosity: detailed\n"),
            Parse("b.yaml", 1, "exporters:\n  debug:\n"),
        ]);

        Assert.True(Assert.IsType<ScalarNode>(At(merged, "exporters", "debug")).IsNull);
    }

    [Fact]
    public void Loading_two_sources_binds_the_merged_options()
    {
        var service = Loader().Load(
        [
            new ConfigSource("a.yaml", """
                receivers:
                  otlp_json_file:
                    path: /tmp/in.json
                exporters:
                  debug:
                  file:
                    path: /a.json
                    rotation:
                      max_megabytes: 10
                service:
                  pipelines:
                    profiles:
                      receivers: [otlp_json_file]
                      exporters: [debug]
                """),
            new ConfigSource("b.yaml", """
                exporters:
                  file:
                    rotation:
                      max_backups: 3
                service:
                  pipelines:
                    profiles:
                      exporters: [debug, file]
                """),
        ]);

        var file = TestConfig.OptionsOf<FileExporterOptions>(service.Exporters, "file");
        Assert.Equal(("/a.json", 10, 3), (file.Path, file.Rotation!.MaxMegabytes, file.Rotation.MaxBackups));
        Assert.Equal(2, service.Pipelines.Single().Exporters.Count);
        Assert.Single(service.Pipelines.Single().Receivers);
    }

    [Fact]
    public void Errors_name_the_file_that_supplied_the_value()
    {
        var error = Assert.Throws<ConfigException>(() => Loader().Load(
        [
            new ConfigSource("base.yaml", """
                receivers:
                  otlp_json_file:
                    path: /tmp/in.json
                    loop: maybe
                exporters:
                  file:
                    format: json
                service:
                  pipelines:
                    profiles: {receivers: [otlp_json_file], exporters: [file]}
                """),
            new ConfigSource("override.yaml", """
                exporters:
                  file:
                    format: xml
                    flush_interval: 1s
                """),
        ]));

        Assert.Equal(
        [
            "receivers::otlp_json_file::loop: expected a boolean (true or false), got \"maybe\" (base.yaml:4)",
            "exporters::file::format: expected one of: json, proto, got \"xml\" (override.yaml:3)",
        ], error.Errors);
    }

    [Fact]
    public void A_component_level_error_points_where_the_component_was_declared()
    {
        var error = Assert.Throws<ConfigException>(() => Loader().Load(
        [
            new ConfigSource("base.yaml", """
                receivers:
                  otlp_json_file:
                    path: /tmp/in.json
                exporters:
                  file:
                    format: json
                service:
                  pipelines:
                    profiles: {receivers: [otlp_json_file], exporters: [file]}
                """),
            new ConfigSource("override.yaml", """
                exporters:
                  file:
                    format: proto
                """),
        ]));

        Assert.Equal(["exporters::file: path is required (base.yaml:5)"], error.Errors);
    }
}
