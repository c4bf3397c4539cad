using Collector.Config.Tests.Fakes;

namespace Collector.Config.Tests;

/// <summary>
/// One invalid config per row, each with the exact error lines it must produce (path, message, source and
/// line). Every config is otherwise valid, so an extra or missing error fails the row.
/// </summary>
public sealed class ConfigLoaderInvalidConfigTests
{
    public static TheoryData<string, string, string[]> InvalidConfigs => new()
    {
        {
            "unknown top-level key",
            TestConfig.Minimal + """

            recievers:
              otlp_json_file:
            """,
            ["unknown key \"recievers\" (x.yaml:11)"]
        },
        {
            "connectors section",
            TestConfig.Minimal + """

            connectors:
              forward:
            """,
            ["connectors: connectors are not supported (x.yaml:11)"]
        },
        {
            "unknown component type",
            """
            receivers:
              otlp_json_file:
                path: /tmp/in.json
            exporters:
              debug:
              fle:
                path: /tmp/out.json
            service:
              pipelines:
                profiles:
                  receivers: [otlp_json_file]
                  exporters: [debug]
            """,
            ["exporters::fle: unknown exporter type \"fle\" (valid: debug, file) (x.yaml:6)"]
        },
        {
            "bad component id",
            """
            receivers:
              otlp_json_file:
                path: /tmp/in.json
            exporters:
              debug:
              9lives:
            service:
              pipelines:
                profiles:
                  receivers: [otlp_json_file]
                  exporters: [debug]
            """,
            ["exporters: invalid component id \"9lives\": the type must start with a letter and hold only letters, digits and '_' (at most 63 characters) (x.yaml:6)"]
        },
        {
            "component value is a sequence",
            """
            receivers:
              otlp_json_file:
                path: /tmp/in.json
            exporters:
              debug: [verbose]
            service:
              pipelines:
                profiles:
                  receivers: [otlp_json_file]
                  exporters: [debug]
            """,
            ["exporters::debug: expected a mapping of options, got a sequence (x.yaml:5)"]
        },
        {
            "unknown option key",
            FileConfig("""
                path: /tmp/out.json
                paht: /tmp/other.json
            """),
            ["exporters::file: unknown key \"paht\" (x.yaml:7)"]
        },
        {
            "nested unknown key",
            FileConfig("""
                path: /tmp/out.json
                rotation:
                  max_mb: 10
            """),
            ["exporters::file::rotation: unknown key \"max_mb\" (x.yaml:8)"]
        },
        {
            "key given to a component that takes no options",
            """
            receivers:
              otlp_json_file:
                path: /tmp/in.json
            exporters:
              debug:
            extensions:
              pprof:
                port: 1777
            service:
              extensions: [pprof]
              pipelines:
                profiles:
                  receivers: [otlp_json_file]
                  exporters: [debug]
            """,
            ["extensions::pprof: unknown key \"port\" (x.yaml:8)"]
        },
        {
            "integer expected",
            FileConfig("""
                path: /tmp/out.json
                rotation:
                  max_megabytes: ten
            """),
            ["exporters::file::rotation::max_megabytes: expected an integer, got \"ten\" (x.yaml:8)"]
        },
        {
            "integer overflow",
            FileConfig("""
                path: /tmp/out.json
                rotation:
                  max_megabytes: 3000000000
            """),
            ["exporters::file::rotation::max_megabytes: expected an integer between -2147483648 and 2147483647, got \"3000000000\" (x.yaml:8)"]
        },
        {
            "boolean expected",
            FileConfig("""
                path: /tmp/out.json
                append: yes
            """),
            ["exporters::file::append: expected a boolean (true or false), got \"yes\" (x.yaml:7)"]
        },
        {
            "duration without a unit",
            FileConfig("""
                path: /tmp/out.json
                flush_interval: 5
            """),
            ["exporters::file::flush_interval: expected a duration such as 5s or 200ms, got \"5\" (add a unit: ns, us, ms, s, m or h) (x.yaml:7)"]
        },
        {
            "enum value not a member",
            FileConfig("""
                path: /tmp/out.json
                format: xml
            """),
            ["exporters::file::format: expected one of: json, proto, got \"xml\" (x.yaml:7)"]
        },
        {
            "number expected",
            """
            receivers:
              otlp_json_file:
                path: /tmp/in.json
                rate: fast
            exporters:
              debug:
            service:
              pipelines:
                profiles:
                  receivers: [otlp_json_file]
                  exporters: [debug]
            """,
            ["receivers::otlp_json_file::rate: expected a number, got \"fast\" (x.yaml:4)"]
        },
        {
            "sequence where a scalar is expected",
            FileConfig("""
                path: [/tmp/a.json, /tmp/b.json]
            """),
            ["exporters::file::path: expected a string, got a sequence (x.yaml:6)"]
        },
        {
            "scalar where a mapping is expected",
            FileConfig("""
                path: /tmp/out.json
                rotation: daily
            """),
            ["exporters::file::rotation: expected a mapping, got \"daily\" (x.yaml:7)"]
        },
        {
            "required key missing (Validate)",
            FileConfig("""
                format: proto
            """),
            ["exporters::file: path is required (x.yaml:5)"]
        },
        {
            "value out of range (Validate, nested key)",
            FileConfig("""
                path: /tmp/out.json
                rotation:
                  max_megabytes: 0
            """),
            ["exporters::file::rotation::max_megabytes: must be between 1 and 10000 (x.yaml:8)"]
        },
        {
            "duplicate key",
            """
            receivers:
              otlp_json_file:
                path: /tmp/in.json
            exporters:
              debug:
            receivers:
              otlp_json_file:
                path: /tmp/other.json
            service:
              pipelines:
                profiles:
                  receivers: [otlp_json_file]
                  exporters: [debug]
            """,
            ["duplicate key \"receivers\" (x.yaml:6)"]
        },
        {
            "duplicate key inside a section",
            """
            receivers:
              otlp_json_file:
                path: /tmp/in.json
              otlp_json_file:
                path: /tmp/other.json
            exporters:
              debug:
            service:
              pipelines:
                profiles:
                  receivers: [otlp_json_file]
                  exporters: [debug]
            """,
            ["receivers: duplicate key \"otlp_json_file\" (x.yaml:4)"]
        },
        {
            "YAML syntax error",
            """
            receivers:
              otlp_json_file:
                path: /tmp/in.json
            exporters:
              debug:
                verbosity: detailed
               sampling_initial: 5
            service:
              pipelines:
                profiles:
                  receivers: [otlp_json_file]
                  exporters: [debug]
            """,
            ["x.yaml:7: invalid YAML: While parsing a block mapping, did not find expected key."]
        },
        {
            "unclosed flow sequence",
            """
            receivers:
              otlp_json_file:
                path: /tmp/in.json
            exporters:
              debug:
            service:
              pipelines:
                profiles:
                  receivers: [otlp_json_file
                  exporters: [debug]
            """,
            ["x.yaml:9: invalid YAML: cannot parse past this line (is a '[' or '{' left unclosed?)"]
        },
        {
            "no service section",
            """
            receivers:
              otlp_json_file:
                path: /tmp/in.json
            exporters:
              debug:
            """,
            ["service: the section is missing; it must define at least one pipeline"]
        },
        {
            "no pipelines",
            """
            receivers:
              otlp_json_file:
                path: /tmp/in.json
            exporters:
              debug:
            service:
              telemetry:
                logs:
                  level: info
            """,
            ["service::pipelines: at least one pipeline is required (x.yaml:6)"]
        },
        {
            "unknown key under service",
            TestConfig.Minimal + """

              pipeline:
                profiles: {}
            """,
            ["service: unknown key \"pipeline\" (x.yaml:11)"]
        },
        {
            "pipeline of another signal",
            PipelineConfig("traces", "[otlp_json_file]", "[debug]"),
            ["service::pipelines::traces: this collector carries profiles only (x.yaml:8)"]
        },
        {
            "pipeline of an unknown signal",
            PipelineConfig("spans", "[otlp_json_file]", "[debug]"),
            ["service::pipelines::spans: unknown signal \"spans\" (valid: profiles) (x.yaml:8)"]
        },
        {
            "pipeline name with a space",
            PipelineConfig("profiles/my pipeline", "[otlp_json_file]", "[debug]"),
            ["service::pipelines::profiles/my pipeline: invalid pipeline id \"profiles/my pipeline\": the name after '/' must be non-empty and hold no spaces, control characters or symbols (x.yaml:8)"]
        },
        {
            "pipeline without receivers",
            PipelineConfig("profiles", "[]", "[debug]"),
            [
                "receivers::otlp_json_file: defined but not used in any pipeline (x.yaml:2)",
                "service::pipelines::profiles: must have at least one receiver (x.yaml:8)",
            ]
        },
        {
            "pipeline without exporters",
            PipelineConfig("profiles", "[otlp_json_file]", "[]"),
            [
                "exporters::debug: defined but not used in any pipeline (x.yaml:5)",
                "service::pipelines::profiles: must have at least one exporter (x.yaml:8)",
            ]
        },
        {
            "unknown key in a pipeline",
            TestConfig.Minimal + """

                  procesors: [relabel]
            """,
            ["service::pipelines::profiles: unknown key \"procesors\" (x.yaml:11)"]
        },
        {
            "unconfigured receiver",
            PipelineConfig("profiles", "[otlp_json_file, otlp_json_file/2]", "[debug]"),
            ["service::pipelines::profiles: references receiver \"otlp_json_file/2\" which is not configured (x.yaml:9)"]
        },
        {
            "unconfigured processor",
            TestConfig.Minimal + """

                  processors: [relabel]
            """,
            ["service::pipelines::profiles: references processor \"relabel\" which is not configured (x.yaml:11)"]
        },
        {
            "unconfigured exporter",
            PipelineConfig("profiles", "[otlp_json_file]", "\n        - debug\n        - file"),
            ["service::pipelines::profiles: references exporter \"file\" which is not configured (x.yaml:12)"]
        },
        {
            "unconfigured extension",
            TestConfig.Minimal + """

              extensions: [health_check]
            """,
            ["service::extensions: references extension \"health_check\" which is not configured (x.yaml:11)"]
        },
        {
            "processor repeated in a pipeline",
            """
            receivers:
              otlp_json_file:
                path: /tmp/in.json
            processors:
              relabel:
            exporters:
              debug:
            service:
              pipelines:
                profiles:
                  receivers: [otlp_json_file]
                  processors: [relabel, relabel]
                  exporters: [debug]
            """,
            ["service::pipelines::profiles: references processor \"relabel\" more than once (x.yaml:12)"]
        },
        {
            "receiver repeated in a pipeline",
            PipelineConfig("profiles", "[otlp_json_file, otlp_json_file]", "[debug]"),
            ["service::pipelines::profiles: references receiver \"otlp_json_file\" more than once (x.yaml:9)"]
        },
        {
            "unused exporter",
            """
            receivers:
              otlp_json_file:
                path: /tmp/in.json
            exporters:
              debug:
              file:
                path: /tmp/out.json
            service:
              pipelines:
                profiles:
                  receivers: [otlp_json_file]
                  exporters: [debug]
            """,
            ["exporters::file: defined but not used in any pipeline (x.yaml:6)"]
        },
        {
            "unused extension",
            TestConfig.Minimal + """

            extensions:
              health_check:
            """,
            ["extensions::health_check: defined but not listed in service::extensions (x.yaml:12)"]
        },
        {
            "unknown key under telemetry",
            TestConfig.Minimal + """

              telemetry:
                traces:
                  level: basic
            """,
            ["service::telemetry: unknown key \"traces\" (x.yaml:12)"]
        },
        {
            "bad telemetry log level",
            TestConfig.Minimal + """

              telemetry:
                logs:
                  level: verbose
            """,
            ["service::telemetry::logs::level: expected one of: debug, info, warn, error, got \"verbose\" (x.yaml:13)"]
        },
        {
            "env reference with an unsupported scheme",
            FileConfig("""
                path: ${file:/etc/collector/path}
            """),
            ["exporters::file::path: \"${file:/etc/collector/path}\": the scheme \"file\" is not supported, only env: is (x.yaml:6)"]
        },
        {
            "env default without the env scheme",
            FileConfig("""
                path: ${OUT_PATH:-/tmp/out.json}
            """),
            ["exporters::file::path: \"${OUT_PATH:-/tmp/out.json}\": a default without the env: scheme is not supported, write ${env:OUT_PATH:-/tmp/out.json} (x.yaml:6)"]
        },
        {
            "env variable with an invalid name",
            FileConfig("""
                path: /tmp/${env:1DIR}/out.json
            """),
            ["exporters::file::path: \"${env:1DIR}\": \"1DIR\" is not a valid environment variable name (x.yaml:6)"]
        },
    };

    [Theory]
    [MemberData(nameof(InvalidConfigs))]
    public void Invalid_config_yields_exactly_the_expected_errors(string because, string yaml, string[] expected)
    {
        var errors = TestConfig.Errors(yaml);

        Assert.True(expected.SequenceEqual(errors), $"{because}:\nexpected:\n  {string.Join("\n  ", expected)}\nactual:\n  {string.Join("\n  ", errors)}");
    }

    [Fact]
    public void Table_covers_at_least_25_distinct_configs()
    {
        var configs = InvalidConfigs.Select(row => row.Data.Item2).ToHashSet(StringComparer.Ordinal);

        Assert.True(configs.Count >= 25, $"only {configs.Count} distinct configs");
    }

    /// <summary>A config whose file exporter (line 5) has the given option lines, from line 6 on.</summary>
    private static string FileConfig(string fileOptions) => $"""
        receivers:
          otlp_json_file:
            path: /tmp/in.json
        exporters:
          file:
        {fileOptions}
        service:
          pipelines:
            profiles:
              receivers: [otlp_json_file]
              exporters: [file]
        """;

    /// <summary>A config with one pipeline (its key on line 8, receivers on line 9) and the given lists.</summary>
    private static string PipelineConfig(string pipelineId, string receivers, string exporters) => $"""
        receivers:
          otlp_json_file:
            path: /tmp/in.json
        exporters:
          debug:
        service:
          pipelines:
            {pipelineId}:
              receivers: {receivers}
              exporters: {exporters}
        """;
}
