using Collector.Core.Components;
using Collector.Core.Pipeline;

namespace Collector.Config.Tests.Fakes;

/// <summary>A registry of fake components and short ways to load YAML through <see cref="ConfigLoader"/>.</summary>
internal static class TestConfig
{
    public static ComponentRegistry Registry { get; } = new(
    [
        new FakeFactory<ReplayReceiverOptions>("otlp_json_file", ComponentKind.Receiver),
        new FakeFactory<RelabelProcessorOptions>("relabel", ComponentKind.Processor),
        new FakeFactory<FileExporterOptions>("file", ComponentKind.Exporter, "file_legacy"),
        new FakeFactory<DebugExporterOptions>("debug", ComponentKind.Exporter),
        new FakeFactory<HealthCheckOptions>("health_check", ComponentKind.Extension),
        new FakeFactory<EmptyOptions>("pprof", ComponentKind.Extension),
    ]);

    /// <summary>A complete config with one pipeline, to append sections to or to merge over.</summary>
    public const string Minimal = """
        receivers:
          otlp_json_file:
            path: /tmp/in.json
        exporters:
          debug:
        service:
          pipelines:
            profiles:
              receivers: [otlp_json_file]
              exporters: [debug]
        """;

    public static ConfigLoader Loader(IReadOnlyDictionary<string, string>? environment = null) =>
        new(Registry, name => environment is not null && environment.TryGetValue(name, out var value) ? value : null);

    /// <summary>Loads one source named x.yaml.</summary>
    public static ServiceDefinition Load(string yaml, IReadOnlyDictionary<string, string>? environment = null) =>
        Loader(environment).Load([new ConfigSource("x.yaml", yaml)]);

    /// <summary>The errors loading one source named x.yaml produces; fails if it loads.</summary>
    public static IReadOnlyList<string> Errors(string yaml, IReadOnlyDictionary<string, string>? environment = null) =>
        Assert.Throws<ConfigException>(() => Load(yaml, environment)).Errors;

    public static TOptions OptionsOf<TOptions>(IReadOnlyDictionary<ComponentId, ComponentDefinition> definitions, string id) =>
        Assert.IsType<TOptions>(definitions[ComponentId.Parse(id)].Options);
}
