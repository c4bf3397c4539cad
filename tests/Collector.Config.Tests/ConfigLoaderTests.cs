using Collector.Config.Tests.Fakes;
using Collector.Core.Components;
using Collector.Core.Pipeline;

namespace Collector.Config.Tests;

public sealed class ConfigLoaderTests
{
    private const string FullConfig = """
        receivers:
          otlp_json_file:
            path: /tmp/in.json
          otlp_json_file/replay:
            path: /tmp/replay.json
            loop: true
        processors:
          relabel:
            rules:
              - {source: host, target: node, action: replace}
        exporters:
          file_legacy:
            path: /tmp/out.json
            rotation:
          debug:
            verbosity: detailed
        extensions:
          pprof:
          health_check:
            endpoint: 0.0.0.0:13133
        service:
          extensions: [pprof, health_check]
          pipelines:
            profiles/live:
              receivers: [otlp_json_file]
              processors: [relabel]
              exporters: [debug, file_legacy]
            profiles:
              receivers: [otlp_json_file/replay, otlp_json_file]
              processors: [relabel]
              exporters: [debug]
          telemetry:
            logs: {level: warn}
            metrics:
              level: detailed
              readers:
                - pull: {exporter: {prometheus: {host: 0.0.0.0, port: 9999}}}
        """;

    [Fact]
    public void Full_config_yields_every_definition_with_bound_options()
    {
        var service = TestConfig.Load(FullConfig);

        Assert.Equal([ComponentId.Of("otlp_json_file"), ComponentId.Parse("otlp_json_file/replay")], service.Receivers.Keys);
        Assert.True(TestConfig.OptionsOf<ReplayReceiverOptions>(service.Receivers, "otlp_json_file/replay").Loop);
        var rule = Assert.Single(TestConfig.OptionsOf<RelabelProcessorOptions>(service.Processors, "relabel").Rules);
        Assert.Equal(("host", "node", RelabelAction.Replace), (rule.Source, rule.Target, rule.Action));
        Assert.Equal(DebugVerbosity.Detailed, TestConfig.OptionsOf<DebugExporterOptions>(service.Exporters, "debug").Verbosity);
        Assert.Equal("0.0.0.0:13133", TestConfig.OptionsOf<HealthCheckOptions>(service.Extensions, "health_check").Endpoint);
        Assert.IsType<EmptyOptions>(service.Extensions[ComponentId.Of("pprof")].Options);
        Assert.All(service.Receivers.Values, d => Assert.Equal(ComponentKind.Receiver, d.Kind));
        Assert.All(service.Extensions.Values, d => Assert.Equal(ComponentKind.Extension, d.Kind));
    }

    [Fact]
    public void Alias_finds_the_factory_and_the_id_keeps_the_type_as_written()
    {
        var service = TestConfig.Load(FullConfig);

        var file = service.Exporters[ComponentId.Of("file_legacy")];
        Assert.Equal("file", file.Factory.Type);
        Assert.Equal("/tmp/out.json", Assert.IsType<FileExporterOptions>(file.Options).Path);
    }

    [Fact]
    public void Pipelines_and_enabled_extensions_keep_yaml_order()
    {
        var service = TestConfig.Load(FullConfig);

        Assert.Equal([new PipelineId("profiles", "live"), new PipelineId("profiles", "")], service.Pipelines.Select(p => p.Id));
        var live = service.Pipelines[0];
        Assert.Equal([ComponentId.Of("otlp_json_file")], live.Receivers);
        Assert.Equal([ComponentId.Of("relabel")], live.Processors);
        Assert.Equal([ComponentId.Of("debug"), ComponentId.Of("file_legacy")], live.Exporters);
        Assert.Equal([ComponentId.Parse("otlp_json_file/replay"), ComponentId.Of("otlp_json_file")], service.Pipelines[1].Receivers);
        Assert.Equal([ComponentId.Of("pprof"), ComponentId.Of("health_check")], service.EnabledExtensions);
    }

    [Fact]
    public void Telemetry_is_mapped_into_settings()
    {
        var telemetry = TestConfig.Load(FullConfig).Telemetry;

        Assert.Equal(("warn", "detailed", "0.0.0.0", 9999), (telemetry.LogLevel, telemetry.MetricsLevel, telemetry.MetricsHost, telemetry.MetricsPort));
    }

    [Fact]
    public void Null_or_empty_component_value_gives_the_factory_defaults()
    {
        var service = TestConfig.Load("""
            receivers:
              otlp_json_file:
                path: /tmp/in.json
            exporters:
              debug:
              debug/empty: {}
              debug/tilde: ~
            service:
              pipelines:
                profiles:
                  receivers: [otlp_json_file]
                  exporters: [debug, debug/empty, debug/tilde]
            """);

        foreach (var id in new[] { "debug", "debug/empty", "debug/tilde" })
        {
            var options = TestConfig.OptionsOf<DebugExporterOptions>(service.Exporters, id);
            Assert.Equal((DebugVerbosity.Basic, 2), (options.Verbosity, options.SamplingInitial));
        }
        var receiver = TestConfig.OptionsOf<ReplayReceiverOptions>(service.Receivers, "otlp_json_file");
        Assert.Equal((TimeSpan.FromSeconds(1), 10), (receiver.Interval, receiver.MaxFiles));
        Assert.Equal(["default"], receiver.Tags);
    }

    [Fact]
    public void Telemetry_defaults_apply_when_the_section_is_absent()
    {
        var telemetry = TestConfig.Load(TestConfig.Minimal).Telemetry;

        Assert.Equal(("info", "normal", "localhost", 8888), (telemetry.LogLevel, telemetry.MetricsLevel, telemetry.MetricsHost, telemetry.MetricsPort));
    }

    [Fact]
    public void A_shared_receiver_exporter_and_processor_across_pipelines_is_fine()
    {
        var service = TestConfig.Load("""
            receivers:
              otlp_json_file:
                path: /tmp/in.json
            processors:
              relabel:
            exporters:
              debug:
            service:
              pipelines:
                profiles/a: {receivers: [otlp_json_file], processors: [relabel], exporters: [debug]}
                profiles/b: {receivers: [otlp_json_file], processors: [relabel], exporters: [debug]}
            """);

        Assert.Equal(2, service.Pipelines.Count);
    }

    [Fact]
    public void Several_errors_are_reported_at_once_in_line_order()
    {
        // The service section comes first in the file but is checked last: the sort puts it back in place.
        var errors = TestConfig.Errors("""
            service:
              pipelines:
                profiles:
                  receivers: [otlp_json_file, missing]
                  exporters: [file]
            receivers:
              otlp_json_file:
                path: /tmp/in.json
                interval: soon
            exporters:
              file:
                format: proto
              debug:
            """);

        Assert.Equal(
        [
            "service::pipelines::profiles: references receiver \"missing\" which is not configured (x.yaml:4)",
            "receivers::otlp_json_file::interval: expected a duration such as 5s or 200ms, got \"soon\" (x.yaml:9)",
            "exporters::file: path is required (x.yaml:11)",
            "exporters::debug: defined but not used in any pipeline (x.yaml:13)",
        ], errors);
    }

    [Fact]
    public void Errors_without_a_line_come_after_located_ones()
    {
        var errors = TestConfig.Errors("""
            exporters:
              fle:
            """);

        Assert.Equal(
        [
            "exporters::fle: unknown exporter type \"fle\" (valid: debug, file) (x.yaml:2)",
            "service: the section is missing; it must define at least one pipeline",
        ], errors);
    }

    [Fact]
    public void Options_are_not_validated_when_binding_failed()
    {
        // Without the format error, Validate would add "path is required": binding errors come alone.
        var errors = TestConfig.Errors("""
            receivers:
              otlp_json_file:
                path: /tmp/in.json
            exporters:
              file:
                format: xml
            service:
              pipelines:
                profiles: {receivers: [otlp_json_file], exporters: [file]}
            """);

        Assert.Equal(["exporters::file::format: expected one of: json, proto, got \"xml\" (x.yaml:6)"], errors);
    }

    [Fact]
    public void A_pipeline_naming_a_component_of_unknown_type_gets_no_second_error()
    {
        var errors = TestConfig.Errors("""
            receivers:
              otlp_json_file:
                path: /tmp/in.json
            exporters:
              fle:
            service:
              pipelines:
                profiles: {receivers: [otlp_json_file], exporters: [fle]}
            """);

        Assert.Equal(["exporters::fle: unknown exporter type \"fle\" (valid: debug, file) (x.yaml:5)"], errors);
    }

    [Fact]
    public void Empty_source_reports_the_missing_service()
    {
        Assert.Equal(["service: the section is missing; it must define at least one pipeline"], TestConfig.Errors(""));
    }

    [Fact]
    public void No_sources_is_an_error()
    {
        var error = Assert.Throws<ConfigException>(() => TestConfig.Loader().Load([]));

        Assert.Equal(["no config sources were given"], error.Errors);
    }

    [Fact]
    public void Warnings_belong_to_the_latest_load()
    {
        var loader = TestConfig.Loader();
        var withUnset = TestConfig.Minimal.Replace("/tmp/in.json", "/tmp/${env:UNSET}in.json", StringComparison.Ordinal);

        loader.Load([new ConfigSource("x.yaml", withUnset)]);
        Assert.Single(loader.Warnings);
        loader.Load([new ConfigSource("x.yaml", TestConfig.Minimal)]);
        Assert.Empty(loader.Warnings);
    }

    [Fact]
    public void Exception_message_lists_every_error()
    {
        var error = Assert.Throws<ConfigException>(() => TestConfig.Load("""
            exporters:
              fle:
            """));

        Assert.Contains("2 configuration errors:", error.Message, StringComparison.Ordinal);
        Assert.Contains("exporters::fle: unknown exporter type", error.Message, StringComparison.Ordinal);
    }
}
