using Collector.Config;
using Collector.Core.Components;
using Collector.Core.Helpers;
using Collector.Core.Model;
using Collector.Core.Pipeline;
using Collector.Host.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Collector.Host.Tests.Components;

/// <summary>
/// The lifecycle contract every registered component must keep: shutdown without start, start and shutdown twice,
/// (exporters) accepting a batch while running, (processors) forwarding control data, and nothing flowing after
/// shutdown. A new factory without an entry in
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
        ["memory_limiter"] = "check_interval: 1s, limit_mib: 4096",
        ["pprof"] = $"directory: \"{_dir.File("pprof")}\", endpoint: \"127.0.0.1:0\"",
        ["flamegraph"] = "endpoint: \"127.0.0.1:0\"",
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
    public async Task Starts_twice_runs_and_shuts_down_twice_cleanly(string kind, string type)
    {
        var componentKind = Enum.Parse<ComponentKind>(kind);
        var output = new CapturingConsumer();
        var component = Create(componentKind, type, output);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        await component.StartAsync(new TestHost { FailOnFatalError = true }, timeout.Token);
        await component.StartAsync(new TestHost { FailOnFatalError = true }, timeout.Token);
        if (component is IExporter exporter) await exporter.ConsumeAsync(BatchWithSamples(), timeout.Token);
        await component.ShutdownAsync(timeout.Token);
        await component.ShutdownAsync(timeout.Token);
    }

    /// <summary>
    /// The control-data contract (docs/pipeline-contract.md): a processor passes process events and the watermark on,
    /// whatever it does with samples, so state downstream (exits, forgetting processes) keeps moving.
    /// </summary>
    [Theory]
    [MemberData(nameof(Processors))]
    public async Task A_processor_forwards_process_events_and_the_watermark(string type)
    {
        var output = new CapturingConsumer();
        var processor = (IProcessor)Create(ComponentKind.Processor, type, output);
        await processor.StartAsync(new TestHost { FailOnFatalError = true }, CancellationToken.None);
        var exit = new ProcessEvent(ProcessEventKind.Exit, 4242, 1, 1_000, "gone");

        await processor.ConsumeAsync(new ProfileBatch { ProcessEvents = [exit], WatermarkKtimeNanos = 2_000 }, CancellationToken.None);
        await processor.ShutdownAsync(CancellationToken.None);

        var forwarded = Assert.Single(output.Batches);
        Assert.Equal([exit], forwarded.ProcessEvents);
        Assert.Equal(2_000UL, forwarded.WatermarkKtimeNanos);
    }

    /// <summary>
    /// After shutdown a processor or exporter refuses data (not retryable: it will not come back), and a receiver
    /// emits nothing more, not even a watermark.
    /// </summary>
    [Theory]
    [MemberData(nameof(Factories))]
    public async Task Nothing_flows_after_shutdown(string kind, string type)
    {
        var componentKind = Enum.Parse<ComponentKind>(kind);
        var output = new CapturingConsumer();
        var component = Create(componentKind, type, output);
        await component.StartAsync(new TestHost { FailOnFatalError = true }, CancellationToken.None);
        await component.ShutdownAsync(CancellationToken.None);
        var emittedAtShutdown = output.Batches.Count;

        if (component is IProfilesConsumer consumer)
        {
            await Assert.ThrowsAsync<ComponentStoppedException>(() => consumer.ConsumeAsync(BatchWithSamples(), CancellationToken.None).AsTask());
        }
        // Longer than the eBPF receiver's watermark tick (500 ms) and the replay receiver's poll interval.
        await Task.Delay(TimeSpan.FromMilliseconds(1200));
        Assert.Equal(emittedAtShutdown, output.Batches.Count);
    }

    public static TheoryData<string> Processors()
    {
        var data = new TheoryData<string>();
        foreach (var factory in ComponentCatalog.Create().Factories.Where(f => f.Kind == ComponentKind.Processor)) data.Add(factory.Type);
        return data;
    }

    private static ProfileBatch BatchWithSamples()
    {
        var profile = new Profile { SampleType = Core.Model.ValueType.Samples, PeriodType = Core.Model.ValueType.CpuNanoseconds, Period = 10_000_000 };
        profile.Samples.Add(new Sample(Stack.Empty) { TimestampsUnixNano = [1] });
        return new ProfileBatch { ResourceProfiles = [new ResourceProfiles { ScopeProfiles = [new ScopeProfiles { Profiles = [profile] }] }] };
    }

    private IComponent Create(ComponentKind kind, string type, IProfilesConsumer? output = null)
    {
        output ??= new CapturingConsumer();
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
            IReceiverFactory receivers => receivers.CreateReceiver(settings, service.Receivers[id].Options, output),
            IProcessorFactory processors => processors.CreateProcessor(settings, service.Processors[id].Options, output),
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
}
