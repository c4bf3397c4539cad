using Collector.Core.Components;
using Collector.Core.Telemetry;
using Collector.Core.Telemetry.Pipeline;
using Collector.Telemetry;
using Microsoft.Extensions.Logging;

namespace Collector.Core.Pipeline;

/// <summary>
/// The running shape of <c>service.pipelines</c>: receivers → processors in order → fan-out to exporters.
/// A receiver or exporter named by several pipelines is one instance (a receiver fans out to each pipeline);
/// processors belong to their pipeline, one instance each.
/// <para>Start order: extensions, exporters, processors (last to first), receivers, so nothing emits into a
/// component that is not ready. Shutdown order is the reverse flow: receivers stop producing, processors
/// flush downstream (first to last), exporters drain, extensions stop. Nothing accepted is dropped on the way.</para>
/// <para>Raw samples become profiles in one place, a <see cref="RawSampleConverter"/> the graph puts in front of
/// each pipeline's exporters and in front of its first processor that does not take them raw
/// (<see cref="ProcessorCapabilities.RawSamples"/>). A pipeline whose processor order cannot work
/// (<see cref="ProcessorOrder"/>) is refused.</para>
/// <para>Telemetry by construction: each receiver's consumer counts accepted/refused/failed samples; processors
/// and exporters count theirs through their helpers (<see cref="Helpers.ProcessorBase"/>,
/// <see cref="Helpers.ExporterBase"/>). The graph also tells <see cref="PipelineHealth"/> when everything runs and
/// when shutdown begins.</para>
/// </summary>
public sealed class PipelineGraph
{
    private readonly List<GraphNode> _extensions = [];
    private readonly List<GraphNode> _exporters = [];
    private readonly List<List<GraphNode>> _processorsByPipeline = [];
    private readonly List<GraphNode> _receivers = [];
    private readonly ILogger _logger;
    private readonly PipelineHealth _health;
    private int _shutdown;

    private PipelineGraph(ILogger logger, PipelineHealth health)
    {
        _logger = logger;
        _health = health;
    }

    /// <summary>Every component with its kind and id, in start order.</summary>
    public IEnumerable<GraphNode> Nodes =>
        _extensions.Concat(_exporters).Concat(_processorsByPipeline.SelectMany(p => Enumerable.Reverse(p))).Concat(_receivers);

    /// <summary>
    /// Creates every component; nothing is started yet. Without <paramref name="telemetry"/> the components'
    /// metrics go nowhere (validation, tests), but health is still tracked.
    /// </summary>
    public static PipelineGraph Build(ServiceDefinition service, ILoggerFactory loggerFactory, TimeProvider? timeProvider = null, CollectorTelemetry? telemetry = null)
    {
        var time = timeProvider ?? TimeProvider.System;
        telemetry ??= new CollectorTelemetry(TelemetryLevel.None, time);
        var graph = new PipelineGraph(loggerFactory.CreateLogger("service"), telemetry.Health);
        ComponentCreateSettings Settings(ComponentDefinition definition) => new()
        {
            Id = definition.Id,
            Kind = definition.Kind,
            LoggerFactory = loggerFactory,
            TimeProvider = time,
            Telemetry = telemetry.ForComponent(definition.Id, definition.Kind),
        };

        foreach (var id in service.EnabledExtensions)
        {
            var definition = service.Extensions[id];
            var extension = ((IExtensionFactory)definition.Factory).CreateExtension(Settings(definition), definition.Options);
            graph._extensions.Add(new GraphNode(ComponentKind.Extension, id, null, extension));
        }

        var exporters = new Dictionary<ComponentId, IExporter>();
        foreach (var id in service.Pipelines.SelectMany(p => p.Exporters).Distinct())
        {
            var definition = service.Exporters[id];
            var exporter = ((IExporterFactory)definition.Factory).CreateExporter(Settings(definition), definition.Options);
            exporters.Add(id, exporter);
            graph._exporters.Add(new GraphNode(ComponentKind.Exporter, id, null, exporter));
        }

        // Each pipeline's entry point: its first processor, or the fan-out to its exporters; raw samples are
        // converted in front of the exporters and of the first processor that takes profiles only.
        var entryByPipeline = new Dictionary<PipelineId, IProfilesConsumer>();
        foreach (var pipeline in service.Pipelines)
        {
            var factories = pipeline.Processors.Select(id => (Id: id, Factory: (IProcessorFactory)service.Processors[id].Factory)).ToList();
            var problems = ProcessorOrder.Check(factories.ConvertAll(p => (p.Id, p.Factory.Capabilities)));
            if (problems.Count > 0) throw new InvalidOperationException($"pipeline {pipeline.Id}: {problems[0].Message}");
            var firstConverted = factories.FindIndex(p => p.Factory.Capabilities.RawSamples == RawSampleHandling.Converted);

            IProfilesConsumer next = new RawSampleConverter(new FanOutConsumer([.. pipeline.Exporters.Select(id => exporters[id])]));
            var processors = new List<GraphNode>();
            for (var i = factories.Count - 1; i >= 0; i--)
            {
                var definition = service.Processors[factories[i].Id];
                var processor = factories[i].Factory.CreateProcessor(Settings(definition), definition.Options, next);
                processors.Insert(0, new GraphNode(ComponentKind.Processor, definition.Id, pipeline.Id, processor));
                next = i == firstConverted ? new RawSampleConverter(processor) : processor;
            }
            graph._processorsByPipeline.Add(processors);
            entryByPipeline.Add(pipeline.Id, next);
        }

        foreach (var id in service.Pipelines.SelectMany(p => p.Receivers).Distinct())
        {
            var targets = service.Pipelines.Where(p => p.Receivers.Contains(id)).Select(p => entryByPipeline[p.Id]).ToList();
            var definition = service.Receivers[id];
            var settings = Settings(definition);
            var output = new ObservedReceiverOutput(new FanOutConsumer(targets), settings.Telemetry);
            var receiver = ((IReceiverFactory)definition.Factory).CreateReceiver(settings, definition.Options, output);
            graph._receivers.Add(new GraphNode(ComponentKind.Receiver, id, null, receiver));
        }

        return graph;
    }

    /// <summary>The extension with this id, or null when it is not enabled in <c>service.extensions</c>.</summary>
    public IExtension? FindExtension(ComponentId id) =>
        _extensions.Find(node => node.Id == id)?.Component as IExtension;

    /// <summary>
    /// Starts every component in dependency order. A receiver that fails to start while other receivers exist
    /// is reported to the host as a fatal error of its own and the rest runs (a sidecar without eBPF support
    /// can still forward what other receivers get); any other failure, or every receiver failing, shuts down
    /// what was started and throws <see cref="ComponentStartException"/> naming the component.
    /// </summary>
    public async Task StartAsync(IComponentHost host, CancellationToken cancellationToken)
    {
        var failedReceivers = new List<ComponentStartException>();
        foreach (var node in Nodes)
        {
            try
            {
                await node.Component.StartAsync(host, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                var failure = new ComponentStartException(node, error);
                if (node.Kind == ComponentKind.Receiver && _receivers.Count > 1)
                {
                    failedReceivers.Add(failure);
                    continue;
                }
                await ShutdownAsync(cancellationToken).ConfigureAwait(false);
                throw failure;
            }
        }

        if (failedReceivers.Count > 0 && failedReceivers.Count == _receivers.Count)
        {
            await ShutdownAsync(cancellationToken).ConfigureAwait(false);
            throw failedReceivers[0];
        }
        foreach (var failure in failedReceivers) host.ReportFatalError(failure.Node.Id, failure);
        _health.MarkRunning();
    }

    /// <summary>
    /// Stops receivers, then flushes processors, then drains exporters, then stops extensions. Safe to call
    /// twice and without a start. A component that fails to shut down is logged and the rest still stop.
    /// </summary>
    public async Task ShutdownAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _shutdown, 1) == 1) return;
        _health.MarkStopping();
        foreach (var node in _receivers) await ShutdownOneAsync(node, cancellationToken).ConfigureAwait(false);
        foreach (var pipeline in _processorsByPipeline)
        {
            foreach (var node in pipeline) await ShutdownOneAsync(node, cancellationToken).ConfigureAwait(false);
        }
        foreach (var node in _exporters) await ShutdownOneAsync(node, cancellationToken).ConfigureAwait(false);
        foreach (var node in Enumerable.Reverse(_extensions)) await ShutdownOneAsync(node, cancellationToken).ConfigureAwait(false);
    }

    private async Task ShutdownOneAsync(GraphNode node, CancellationToken cancellationToken)
    {
        try
        {
            await node.Component.ShutdownAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error)
        {
            GraphLog.ShutdownFailed(_logger, node.Kind.Noun(), node.Id.ToString(), error);
        }
    }
}

/// <summary>One component in the graph; <see cref="Pipeline"/> is set for processors, which belong to one pipeline.</summary>
public sealed record GraphNode(ComponentKind Kind, ComponentId Id, PipelineId? Pipeline, IComponent Component)
{
    public override string ToString() => Pipeline is { } pipeline ? $"{Kind.Noun()} {Id} in pipeline {pipeline}" : $"{Kind.Noun()} {Id}";
}

/// <summary>A component failed to start; the message names it.</summary>
public sealed class ComponentStartException(GraphNode node, Exception inner)
    : Exception($"{node} failed to start: {inner.Message}", inner)
{
    public GraphNode Node { get; } = node;
}

internal static partial class GraphLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "{Kind} {Id} failed to shut down")]
    public static partial void ShutdownFailed(ILogger logger, string kind, string id, Exception error);
}
