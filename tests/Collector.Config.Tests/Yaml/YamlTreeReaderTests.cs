using Collector.Config.Errors;
using Collector.Config.Yaml;

namespace Collector.Config.Tests.Yaml;

public sealed class YamlTreeReaderTests
{
    private static (MappingNode? Root, IReadOnlyList<string> Errors) Read(string yaml, string name = "x.yaml")
    {
        var errors = new ConfigErrors();
        var root = YamlTreeReader.Read(new ConfigSource(name, yaml), 0, errors);
        return (root, errors.Sorted());
    }

    private static MappingNode ReadValid(string yaml)
    {
        var (root, errors) = Read(yaml);
        Assert.Empty(errors);
        return Assert.IsType<MappingNode>(root);
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

    [Fact]
    public void Every_key_value_and_item_keeps_its_source_and_line()
    {
        var root = ReadValid("""
            exporters:
              file:
                path: /tmp/out.json
            list:
              - a
              - {b: 1}
            flow: [c,
                   d]
            """);

        var exporters = root.Find("exporters")!;
        Assert.Equal(new ConfigLocation("x.yaml", 0, 1), exporters.KeyLocation);
        Assert.Equal(2, Assert.IsType<MappingNode>(exporters.Value).Find("file")!.KeyLocation.Line);
        Assert.Equal(3, At(root, "exporters", "file", "path").Location.Line);
        Assert.Equal([5, 6], Assert.IsType<SequenceNode>(At(root, "list")).Items.Select(i => i.Location.Line));
        Assert.Equal([7, 8], Assert.IsType<SequenceNode>(At(root, "flow")).Items.Select(i => i.Location.Line));
    }

    [Theory]
    [InlineData("a:", true)]
    [InlineData("a: ~", true)]
    [InlineData("a: null", true)]
    [InlineData("a: NULL", true)]
    [InlineData("a: !!null", true)]
    [InlineData("a: \"\"", false)]
    [InlineData("a: 'null'", false)]
    [InlineData("a: !!str null", false)]
    [InlineData("a: nullable", false)]
    public void Recognises_yaml_null(string yaml, bool isNull)
    {
        var value = Assert.IsType<ScalarNode>(At(ReadValid(yaml), "a"));

        Assert.Equal(isNull, value.IsNull);
    }

    [Fact]
    public void Scalars_keep_their_text_whatever_their_style()
    {
        var root = ReadValid("""
            plain: 0755
            quoted: "8080"
            single: 'it''s'
            block: |
              line
            after: x
            """);

        Assert.Equal(
            ["0755", "8080", "it's", "line\n"],
            new[] { "plain", "quoted", "single", "block" }.Select(k => Assert.IsType<ScalarNode>(At(root, k)).Value));
    }

    [Fact]
    public void An_alias_shares_its_anchored_node()
    {
        var root = ReadValid("""
            base: &defaults {path: /tmp/a}
            copy: *defaults
            """);

        Assert.Same(At(root, "base"), At(root, "copy"));
    }

    [Fact]
    public void An_alias_without_anchor_is_a_syntax_error()
    {
        var (root, errors) = Read("a: 1\nb: *nowhere\n");

        Assert.Null(root);
        Assert.Equal(["x.yaml:2: invalid YAML: the alias *nowhere refers to no anchor defined before it"], errors);
    }

    [Fact]
    public void A_duplicate_key_is_reported_at_its_second_occurrence_with_its_parent_path_and_the_later_value_kept()
    {
        var (root, errors) = Read("""
            a:
              b:
                c: 1
                d: 2
                c: 3
            """);

        Assert.Equal(["a::b: duplicate key \"c\" (x.yaml:5)"], errors);
        Assert.Equal("3", Assert.IsType<ScalarNode>(At(root!, "a", "b", "c")).Value);
    }

    [Fact]
    public void An_empty_source_is_an_empty_mapping()
    {
        Assert.Empty(ReadValid("").Entries);
        Assert.Empty(ReadValid("# only a comment\n").Entries);
    }

    [Theory]
    [InlineData("- a\n- b\n", "x.yaml:1: the top level of a config must be a mapping, got a sequence")]
    [InlineData("just text\n", "x.yaml:1: the top level of a config must be a mapping, got \"just text\"")]
    [InlineData("a: 1\n---\nb: 2\n", "x.yaml:2: a config source must hold a single YAML document")]
    [InlineData("? [a, b]\n: c\n", "x.yaml:1: invalid YAML: mapping keys must be plain values, not sequences or mappings")]
    [InlineData("a: 'open\n", "x.yaml:1: invalid YAML: While scanning a quoted scalar, found unexpected end of stream.")]
    public void Reports_what_cannot_become_a_config(string yaml, string expected)
    {
        var (root, errors) = Read(yaml);

        Assert.Null(root);
        Assert.Equal([expected], errors);
    }
}
