using Collector.Config;
using Collector.Core.Components;
using Collector.Core.Model;
using Collector.Core.Pipeline;
using Collector.Host.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Collector.Host.Tests.Components;

/// <summary>
/// The lifecycle contract every registered component must keep: shutdown without start, shutdown twice,
/// start then shutdown, and (exporters) accepting a batch while running. A new factory without an entry in
/// <see cref="MinimalOptions"/> fails here, so no component escapes the contract.
/// </summary>
public sealed class ComponentLifecycleContractTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    /// <summary>The smallest valid YAML body for each component type.</summary>
    private Dictionary<string, string> MinimalOptions => new()
    {
        ["ebpf_profiling"] = "report_interval: 1s",
        ["otlp_json_file"] = $"include: [\"{_dir.File("missing-*.jsonl")}\"]",
        ["file"] = $"path: \"{_dir.File("out.jsonl")}\"",
        ["debug"] = "verbosity: basic",
        ["otlp"] = "protocols: {grpc: {endpoint: \"127.0.0.1:0\"}, http: {endpoint: \"127.0.0.1:0\"}}",
        ["bearertokenauth"] = "token: contract",
        ["health_check"] = "endpoint: \"127.0.0.1:0\"",
        ["prometheus"] = "endpoint: \"127.0.0.1:0\"",
        ["otlp_grpc"] = "endpoint: \"127.0.0.1:1\", tls: {insecure: true}",
        ["otlp_http"] = "endpoint: \"http://127.0.0.1:1\"",
        ["file_storage"] = $"directory: \"{_dir.Path}\"",
        ["pid_lifecycle"] = "max_processes: 100",
        ["symbolization"] = "cache_lifetime: 1h",
        ["resource"] = "attributes: [{key: deployment.environment.name, value: test, action: upsert}]",
        ["filter"] = "exclude: {process_names: [\"^nginx$\"]}",
        ["resourcedetection"] = "detectors: [env, system]",
    };

    public static TheoryData<string, string> Factories()
    {
        var data = new TheoryData<string, string>();
        foreach (var factory in ComponentCatalog.Create().Factories) data.Add(factory.Kind.ToString(), factory.Type);
        return data;
    }

    [Theory]
    [MemberData(nameof(Factories))]
    public async Task Shutdown_is_safe_without_start_and_twice(string kind, string type)
    {
        var component = Create(Enum.Parse<ComponentKind>(kind), type);
        await component.ShutdownAsync(CancellationToken.None);
        await component.ShutdownAsync(CancellationToken.None);
    }

    [Theory]
    [MemberData(nameof(Factories))]
    public async Task Starts_runs_and_shuts_down_cleanly(string kind, string type)
    {
        var componentKind = Enum.Parse<ComponentKind>(kind);
        var component = Create(componentKind, type);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        await component.StartAsync(new FailOnFatalHost(), timeout.Token);
        if (component is IExporter exporter) await exporter.ConsumeAsync(new ProfileBatch(), timeout.Token);
        await component.ShutdownAsync(timeout.Token);
        await component.ShutdownAsync(timeout.Token);
    }

    private IComponent Create(ComponentKind kind, string type)
    {
        Assert.True(MinimalOptions.TryGetValue(type, out var body), $"add {type} to MinimalOptions so the lifecycle contract covers it");
        var registry = ComponentCatalog.Create();
        var factory = registry.Find(kind, type)!;
        var yaml = kind switch
        {
            ComponentKind.Receiver => Config($"{type}: {{{body}}}", "", "debug: {}", type, "", "debug"),
            ComponentKind.Processor => Config("otlp_json_file: {" + MinimalOptions["otlp_json_file"] + "}", $"{type}: {{{body}}}", "debug: {}", "otlp_json_file", type, "debug"),
            ComponentKind.Exporter => Config("otlp_json_file: {" + MinimalOptions["otlp_json_file"] + "}", "", $"{type}: {{{body}}}", "otlp_json_file", "", type),
            ComponentKind.Extension => Config("otlp_json_file: {" + MinimalOptions["otlp_json_file"] + "}", "", "debug: {}", "otlp_json_file", "", "debug", (type, body)),
            _ => throw new NotSupportedException($"add {kind} support to the contract test"),
        };
        var service = new ConfigLoader(registry).Load([new ConfigSource("contract.yaml", yaml)]);
        var id = ComponentId.Of(type);
        var settings = new ComponentCreateSettings { Id = id, Kind = kind, LoggerFactory = NullLoggerFactory.Instance };
        return factory switch
        {
            IReceiverFactory receivers => receivers.CreateReceiver(settings, service.Receivers[id].Options, new DiscardingConsumer()),
            IProcessorFactory processors => processors.CreateProcessor(settings, service.Processors[id].Options, new DiscardingConsumer()),
            IExporterFactory exporters => exporters.CreateExporter(settings, service.Exporters[id].Options),
            IExtensionFactory extensions => extensions.CreateExtension(settings, service.Extensions[id].Options),
            _ => throw new NotSupportedException(type),
        };
    }

    private static string Config(string receiver, string processor, string exporter, string receiverId, string processorId, string exporterId,
        (string Type, string Body)? extension = null) => $"""
        receivers:
          {receiver}
        {(processor.Length > 0 ? $"processors:\n  {processor}\n" : "")}exporters:
          {exporter}
        {(extension is { } e ? $"extensions:\n  {e.Type}: {{{e.Body}}}\n" : "")}service:
          extensions: [{extension?.Type}]
          pipelines:
            profiles:
              receivers: [{receiverId}]
              processors: [{processorId}]
              exporters: [{exporterId}]
        """;

    public void Dispose() => _dir.Dispose();

    private sealed class DiscardingConsumer : IProfilesConsumer
    {
        public bool MutatesData => false;

        public ValueTask ConsumeAsync(ProfileBatch batch, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    private sealed class FailOnFatalHost : IComponentHost
    {
        public void ReportFatalError(ComponentId component, Exception error) => Assert.Fail($"{component} reported a fatal error: {error}");

        public IExtension? GetExtension(ComponentId id) => null;
    }
}
