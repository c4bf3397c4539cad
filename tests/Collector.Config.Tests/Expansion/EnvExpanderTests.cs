using Collector.Config.Errors;
using Collector.Config.Expansion;
using Collector.Config.Tests.Fakes;
using Collector.Config.Yaml;

namespace Collector.Config.Tests.Expansion;

public sealed class EnvExpanderTests
{
    private static readonly Dictionary<string, string> Environment = new(StringComparer.Ordinal)
    {
        ["DIR"] = "data",
        ["EMPTY"] = "",
        ["MB"] = "50",
        ["LOOP"] = "true",
        ["NESTED"] = "${env:DIR}",
        ["_under_score9"] = "ok",
    };

    /// <summary>Expands <c>value: text</c> and returns the value, with the errors and warnings it caused.</summary>
    private static (ScalarNode Value, IReadOnlyList<string> Errors, List<string> Warnings) Expand(string text)
    {
        var errors = new ConfigErrors();
        var warnings = new List<string>();
        var root = YamlTreeReader.Read(new ConfigSource("x.yaml", $"value: '{text}'"), 0, errors)!;
        var expanded = new EnvExpander(name => Environment.GetValueOrDefault(name), errors, warnings).Expand(root);
        return (Assert.IsType<ScalarNode>(expanded.Find("value")!.Value), errors.Sorted(), warnings);
    }

    [Theory]
    [InlineData("${env:DIR}", "data")]
    [InlineData("${DIR}", "data")]
    [InlineData("/var/${env:DIR}/out-${DIR}.json", "/var/data/out-data.json")]
    [InlineData("${env:_under_score9}", "ok")]
    [InlineData("${env:UNSET:-fallback}", "fallback")]
    [InlineData("${env:UNSET:-}", "")]
    [InlineData("${env:UNSET:-a:-b}", "a:-b")]
    [InlineData("${env:EMPTY:-fallback}", "")]
    [InlineData("${env:DIR:-fallback}", "data")]
    [InlineData("$${env:DIR}", "${env:DIR}")]
    [InlineData("cost: $$5", "cost: $5")]
    [InlineData("$$$$", "$$")]
    [InlineData("$$${env:DIR}", "$data")]
    [InlineData("$DIR and $HOME", "$DIR and $HOME")]
    [InlineData("trailing $", "trailing $")]
    [InlineData("${env:DIR", "${env:DIR")]
    [InlineData("${env:NESTED}", "${env:DIR}")]
    [InlineData("no references", "no references")]
    public void Expands_references(string text, string expected)
    {
        var (value, errors, warnings) = Expand(text);

        Assert.Equal(expected, value.Value);
        Assert.False(value.AlreadyReported);
        Assert.Empty(errors);
        Assert.Empty(warnings);
    }

    [Fact]
    public void An_unset_variable_without_default_is_empty_and_warned_about()
    {
        var (value, errors, warnings) = Expand("/tmp/${env:UNSET}/x");

        Assert.Equal("/tmp//x", value.Value);
        Assert.Empty(errors);
        Assert.Equal(["value: environment variable UNSET is not set, using an empty value (x.yaml:1)"], warnings);
    }

    [Theory]
    [InlineData("${file:/etc/secret}", "value: \"${file:/etc/secret}\": the scheme \"file\" is not supported, only env: is (x.yaml:1)")]
    [InlineData("${http://example.com/config}", "value: \"${http://example.com/config}\": the scheme \"http\" is not supported, only env: is (x.yaml:1)")]
    [InlineData("${DIR:-x}", "value: \"${DIR:-x}\": a default without the env: scheme is not supported, write ${env:DIR:-x} (x.yaml:1)")]
    [InlineData("${env:1DIR}", "value: \"${env:1DIR}\": \"1DIR\" is not a valid environment variable name (x.yaml:1)")]
    [InlineData("${env:MY-VAR}", "value: \"${env:MY-VAR}\": \"MY-VAR\" is not a valid environment variable name (x.yaml:1)")]
    [InlineData("${}", "value: \"${}\": \"\" is not a valid environment variable name (x.yaml:1)")]
    public void Rejects_what_the_env_provider_cannot_resolve(string text, string expected)
    {
        var (value, errors, _) = Expand(text);

        Assert.Equal([expected], errors);
        Assert.True(value.AlreadyReported);
        Assert.Equal(text, value.Value);
    }

    [Fact]
    public void Keys_are_never_expanded_and_nested_values_are()
    {
        var service = TestConfig.Load("""
            receivers:
              otlp_json_file:
                path: /tmp/${env:DIR}.json
                labels:
                  "${env:DIR}": "${env:DIR}"
                tags: [a, "${DIR}"]
            exporters:
              debug:
            service:
              pipelines:
                profiles: {receivers: [otlp_json_file], exporters: [debug]}
            """, Environment);

        var options = TestConfig.OptionsOf<ReplayReceiverOptions>(service.Receivers, "otlp_json_file");
        Assert.Equal("/tmp/data.json", options.Path);
        Assert.Equal("data", options.Labels["${env:DIR}"]);
        Assert.Equal(["a", "data"], options.Tags);
    }

    [Fact]
    public void A_whole_scalar_reference_is_typed_by_the_binder()
    {
        var service = TestConfig.Load("""
            receivers:
              otlp_json_file:
                path: /tmp/in.json
                loop: ${env:LOOP}
                max_files: ${MB}
                interval: ${env:UNSET_INTERVAL:-2s}
            exporters:
              debug:
            service:
              pipelines:
                profiles: {receivers: [otlp_json_file], exporters: [debug]}
            """, Environment);

        var options = TestConfig.OptionsOf<ReplayReceiverOptions>(service.Receivers, "otlp_json_file");
        Assert.Equal((true, 50, TimeSpan.FromSeconds(2)), (options.Loop, options.MaxFiles, options.Interval));
    }

    [Fact]
    public void Ids_in_the_service_section_are_expanded_too()
    {
        var service = TestConfig.Load(
            TestConfig.Minimal.Replace("exporters: [debug]", "exporters: [\"${env:EXPORTER}\"]", StringComparison.Ordinal),
            new Dictionary<string, string> { ["EXPORTER"] = "debug" });

        Assert.Equal("debug", service.Pipelines.Single().Exporters.Single().Type);
    }

    [Fact]
    public void An_unset_variable_warning_names_the_config_path_and_line_and_the_load_goes_on()
    {
        var loader = TestConfig.Loader(Environment);

        loader.Load([new ConfigSource("x.yaml", TestConfig.Minimal.Replace("/tmp/in.json", "/tmp/${env:INPUT}in.json", StringComparison.Ordinal))]);

        Assert.Equal(["receivers::otlp_json_file::path: environment variable INPUT is not set, using an empty value (x.yaml:3)"], loader.Warnings);
    }

    [Fact]
    public void A_failed_expansion_is_reported_once_not_again_as_a_type_error()
    {
        var errors = TestConfig.Errors("""
            receivers:
              otlp_json_file:
                path: /tmp/in.json
                max_files: ${file:/etc/max}
            exporters:
              debug:
            service:
              pipelines:
                profiles: {receivers: [otlp_json_file], exporters: ["${ftp:x}"]}
            """);

        Assert.Equal(
        [
            "receivers::otlp_json_file::max_files: \"${file:/etc/max}\": the scheme \"file\" is not supported, only env: is (x.yaml:4)",
            "exporters::debug: defined but not used in any pipeline (x.yaml:6)",
            "service::pipelines::profiles::exporters::0: \"${ftp:x}\": the scheme \"ftp\" is not supported, only env: is (x.yaml:9)",
        ], errors);
    }
}
