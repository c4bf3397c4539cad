using Collector.Core.Components;
using Collector.Core.Model;
using Collector.Core.Pipeline;
using Microsoft.Extensions.Logging.Abstractions;

namespace Collector.Core.Tests.Pipeline;

public class PipelineGraphTests
{
    private readonly Journal _journal = new();
    private readonly FakeReceiverFactory _receivers;
    private readonly FakeProcessorFactory _processors;
    private readonly FakeExporterFactory _exporters;

    public PipelineGraphTests()
    {
        _receivers = new FakeReceiverFactory(_journal);
        _processors = new FakeProcessorFactory(_journal);
        _exporters = new FakeExporterFactory(_journal);
    }

    [Fact]
    public async Task Starts_downstream_first_and_shuts_down_upstream_first()
    {
        var graph = PipelineGraph.Build(Service(Pipe("profiles", ["fake_receiver"], ["fake_processor/a", "fake_processor/b"], ["fake_exporter"])), NullLoggerFactory.Instance);

        await graph.StartAsync(new TestHost(), CancellationToken.None);
        await graph.ShutdownAsync(CancellationToken.None);

        Assert.Equal(
        [
            "start exporter/fake_exporter",
            "start processor/fake_processor/b",
            "start processor/fake_processor/a",
            "start receiver/fake_receiver",
            "shutdown receiver/fake_receiver",
            "shutdown processor/fake_processor/a",
            "shutdown processor/fake_processor/b",
            "shutdown exporter/fake_exporter",
        ], _journal.Entries);
    }

    [Fact]
    public async Task Data_held_by_processors_reaches_exporters_before_they_stop()
    {
        var graph = PipelineGraph.Build(Service(Pipe("profiles", ["fake_receiver"], ["fake_processor/a", "fake_processor/b"], ["fake_exporter"])), NullLoggerFactory.Instance);
        await graph.StartAsync(new TestHost(), CancellationToken.None);

        for (var i = 0; i < 3; i++) await _receivers.Created[0].EmitAsync(Telemetry.PipelineTelemetryTests.Batch(1));
        Assert.Empty(_exporters.Created["fake_exporter"].Received);

        await graph.ShutdownAsync(CancellationToken.None);
        Assert.Equal(3, _exporters.Created["fake_exporter"].Received.Count);
        var entries = _journal.Entries;
        Assert.True(entries.ToList().LastIndexOf("consume exporter/fake_exporter") < entries.ToList().IndexOf("shutdown exporter/fake_exporter"));
    }

    [Fact]
    public async Task Shared_receiver_and_exporter_are_one_instance_fanning_out_to_each_pipeline()
    {
        var graph = PipelineGraph.Build(Service(
            Pipe("profiles", ["fake_receiver"], [], ["fake_exporter/shared", "fake_exporter/one"]),
            Pipe("profiles/two", ["fake_receiver"], [], ["fake_exporter/shared"])), NullLoggerFactory.Instance);
        await graph.StartAsync(new TestHost(), CancellationToken.None);

        var receiver = Assert.Single(_receivers.Created);
        await receiver.EmitAsync(Telemetry.PipelineTelemetryTests.Batch(1));
        await graph.ShutdownAsync(CancellationToken.None);

        Assert.Equal(2, _exporters.Created.Count);
        Assert.Equal(2, _exporters.Created["fake_exporter/shared"].Received.Count);
        Assert.Single(_exporters.Created["fake_exporter/one"].Received);
        Assert.Equal(3, graph.Nodes.Count()); // one receiver, two exporters
    }

    [Fact]
    public async Task Processors_are_one_instance_per_pipeline()
    {
        var graph = PipelineGraph.Build(Service(
            Pipe("profiles", ["fake_receiver"], ["fake_processor"], ["fake_exporter"]),
            Pipe("profiles/two", ["fake_receiver"], ["fake_processor"], ["fake_exporter"])), NullLoggerFactory.Instance);
        await graph.StartAsync(new TestHost(), CancellationToken.None);
        await graph.ShutdownAsync(CancellationToken.None);

        var processors = graph.Nodes.Where(n => n.Kind == ComponentKind.Processor).ToList();
        Assert.Equal(2, processors.Count);
        Assert.NotSame(processors[0].Component, processors[1].Component);
        Assert.Equal(2, _journal.Entries.Count(e => e == "shutdown processor/fake_processor"));
    }

    [Fact]
    public async Task Shutdown_is_safe_twice_and_without_start()
    {
        var graph = PipelineGraph.Build(Service(Pipe("profiles", ["fake_receiver"], [], ["fake_exporter"])), NullLoggerFactory.Instance);
        await graph.ShutdownAsync(CancellationToken.None);
        await graph.ShutdownAsync(CancellationToken.None);
        Assert.Equal(["shutdown receiver/fake_receiver", "shutdown exporter/fake_exporter"], _journal.Entries);
    }

    [Fact]
    public async Task A_component_that_fails_to_start_is_named_and_started_ones_are_shut_down()
    {
        var failing = new FailingStartReceiverFactory();
        var service = Service(Pipe("profiles", ["failing"], [], ["fake_exporter"]), extraReceivers: failing);
        var graph = PipelineGraph.Build(service, NullLoggerFactory.Instance);

        var error = await Assert.ThrowsAsync<ComponentStartException>(() => graph.StartAsync(new TestHost(), CancellationToken.None));
        Assert.Equal("receiver failing failed to start: no kernel support", error.Message);
        Assert.Equal(["start exporter/fake_exporter", "shutdown exporter/fake_exporter"], _journal.Entries);
    }

    [Fact]
    public async Task A_receiver_that_fails_to_start_is_reported_and_the_other_receivers_run()
    {
        var failing = new FailingStartReceiverFactory();
        var service = Service(Pipe("profiles", ["failing", "fake_receiver"], [], ["fake_exporter"]), extraReceivers: failing);
        var graph = PipelineGraph.Build(service, NullLoggerFactory.Instance);
        var host = new TestHost();

        await graph.StartAsync(host, CancellationToken.None);
        await _receivers.Created[0].EmitAsync(Telemetry.PipelineTelemetryTests.Batch(1));
        await graph.ShutdownAsync(CancellationToken.None);

        var (component, error) = Assert.Single(host.FatalErrors);
        Assert.Equal("failing", component.ToString());
        Assert.Equal("receiver failing failed to start: no kernel support", error.Message);
        Assert.Single(_exporters.Created["fake_exporter"].Received);
    }

    private static PipelineDefinition Pipe(string id, string[] receivers, string[] processors, string[] exporters) => new(
        PipelineId.Parse(id),
        receivers.Select(ComponentId.Parse).ToList(),
        processors.Select(ComponentId.Parse).ToList(),
        exporters.Select(ComponentId.Parse).ToList());

    private ServiceDefinition Service(params PipelineDefinition[] pipelines) => Service(pipelines[0], pipelines.Skip(1).ToArray(), null);

    private ServiceDefinition Service(PipelineDefinition pipeline, IReceiverFactory extraReceivers) => Service(pipeline, [], extraReceivers);

    private ServiceDefinition Service(PipelineDefinition first, PipelineDefinition[] rest, IReceiverFactory? extraReceivers)
    {
        var pipelines = new[] { first }.Concat(rest).ToList();
        Dictionary<ComponentId, ComponentDefinition> Defs(ComponentKind kind, IEnumerable<ComponentId> ids) =>
            ids.Distinct().ToDictionary(id => id, id => new ComponentDefinition(kind, id, FactoryFor(kind, id, extraReceivers), new FakeOptions()));
        return new ServiceDefinition
        {
            Receivers = Defs(ComponentKind.Receiver, pipelines.SelectMany(p => p.Receivers)),
            Processors = Defs(ComponentKind.Processor, pipelines.SelectMany(p => p.Processors)),
            Exporters = Defs(ComponentKind.Exporter, pipelines.SelectMany(p => p.Exporters)),
            Extensions = new Dictionary<ComponentId, ComponentDefinition>(),
            EnabledExtensions = [],
            Pipelines = pipelines,
        };
    }

    private IComponentFactory FactoryFor(ComponentKind kind, ComponentId id, IReceiverFactory? extraReceivers) => kind switch
    {
        ComponentKind.Receiver when extraReceivers is not null && id.Type == extraReceivers.Type => extraReceivers,
        ComponentKind.Receiver => _receivers,
        ComponentKind.Processor => _processors,
        _ => _exporters,
    };

    private sealed class FailingStartReceiverFactory : ReceiverFactory<FakeOptions>
    {
        public override string Type => "failing";

        public override string Description => "fails to start";

        protected override IReceiver Create(ComponentCreateSettings settings, FakeOptions options, IProfilesConsumer next) => new FailingReceiver();
    }

    private sealed class FailingReceiver : IReceiver
    {
        public Task StartAsync(IComponentHost host, CancellationToken cancellationToken) => throw new InvalidOperationException("no kernel support");

        public Task ShutdownAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
