using Collector.Core.Components;
using Collector.Core.Helpers;
using Collector.Core.Model;
using Collector.Core.Pipeline;
using Microsoft.Extensions.Logging.Abstractions;

namespace Collector.Core.Tests.Pipeline;

/// <summary>Raw samples become profiles in one place: in front of the first processor that takes profiles, and of the exporters.</summary>
public sealed class RawSampleRoutingTests
{
    private readonly List<string> _seen = [];

    private static ProfileBatch RawBatch()
    {
        var frames = new ulong[] { 0xffffffff81000000, 0x401000 };
        return new ProfileBatch
        {
            Raw = new RawSampleSet
            {
                PeriodNanos = 10_000_000,
                Samples = [new RawSample(7, 7, 0, 100, "app", frames.AsMemory(0, 1), frames.AsMemory(1, 1))],
            },
            WatermarkKtimeNanos = 50,
        };
    }

    [Fact]
    public async Task Without_processors_the_exporters_receive_the_samples_as_profiles()
    {
        var exporter = await RunAsync([]);

        var batch = Assert.Single(exporter.Received);
        Assert.Null(batch.Raw);
        Assert.Equal(1, batch.SampleCount);
        Assert.Equal(7L, Assert.Single(batch.ResourceProfiles).Resource!.Attributes.Single(a => a.Key == "process.pid").Value!.IntValue);
    }

    [Fact]
    public async Task A_consuming_processor_sees_them_raw_and_a_converted_one_behind_it_sees_profiles()
    {
        var exporter = await RunAsync([("passes", RawSampleHandling.PassedThrough), ("consumes", RawSampleHandling.Consumed), ("converted", RawSampleHandling.Converted)]);

        Assert.Equal(["passes: raw", "consumes: raw", "converted: profiles"], _seen);
        Assert.Equal(1, Assert.Single(exporter.Received).SampleCount);
    }

    [Fact]
    public async Task The_conversion_happens_in_front_of_the_first_processor_that_takes_profiles()
    {
        await RunAsync([("converted", RawSampleHandling.Converted), ("passes", RawSampleHandling.PassedThrough)]);

        Assert.Equal(["converted: profiles", "passes: profiles"], _seen);
    }

    [Fact]
    public void The_graph_refuses_an_order_that_would_hide_raw_samples_from_a_consumer()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Build([("converted", RawSampleHandling.Converted), ("consumes", RawSampleHandling.Consumed)], out _));

        Assert.Contains("\"consumes\" turns raw samples into profiles itself, but \"converted\" before it", error.Message, StringComparison.Ordinal);
    }

    private async Task<CapturingExporter> RunAsync((string Name, RawSampleHandling Handling)[] processors)
    {
        var graph = Build(processors, out var receiver);
        await graph.StartAsync(new TestHost(), CancellationToken.None);
        await receiver.Created!.Next.ConsumeAsync(RawBatch(), CancellationToken.None);
        await graph.ShutdownAsync(CancellationToken.None);
        return _exporter!;
    }

    private CapturingExporter? _exporter;

    private PipelineGraph Build((string Name, RawSampleHandling Handling)[] processors, out ReceiverFactory receiver)
    {
        receiver = new ReceiverFactory();
        var exporterFactory = new ExporterFactory(this);
        var pipeline = new PipelineDefinition(PipelineId.Parse("profiles"), [ComponentId.Of("receiver")],
            [.. processors.Select(p => ComponentId.Of(p.Name))], [ComponentId.Of("exporter")]);
        var service = new ServiceDefinition
        {
            Receivers = new Dictionary<ComponentId, ComponentDefinition> { [ComponentId.Of("receiver")] = new(ComponentKind.Receiver, ComponentId.Of("receiver"), receiver, new FakeOptions()) },
            Processors = processors.ToDictionary(p => ComponentId.Of(p.Name), p => new ComponentDefinition(ComponentKind.Processor, ComponentId.Of(p.Name), new ProcessorFactory(p.Name, p.Handling, _seen), new FakeOptions())),
            Exporters = new Dictionary<ComponentId, ComponentDefinition> { [ComponentId.Of("exporter")] = new(ComponentKind.Exporter, ComponentId.Of("exporter"), exporterFactory, new FakeOptions()) },
            Extensions = new Dictionary<ComponentId, ComponentDefinition>(),
            EnabledExtensions = [],
            Pipelines = [pipeline],
        };
        return PipelineGraph.Build(service, NullLoggerFactory.Instance);
    }

    private sealed class RecordingProcessor(ComponentCreateSettings settings, IProfilesConsumer next, List<string> seen) : ProcessorBase(settings, next)
    {
        public override bool MutatesData => false;

        protected override void Process(ProfileBatch batch) => seen.Add($"{Settings.Id}: {(batch.Raw is null ? "profiles" : "raw")}");
    }

    private sealed class ProcessorFactory(string type, RawSampleHandling handling, List<string> seen) : ProcessorFactory<FakeOptions>
    {
        public override string Type => type;

        public override string Description => "records what it sees";

        public override ProcessorCapabilities Capabilities => new() { RawSamples = handling };

        protected override IProcessor Create(ComponentCreateSettings settings, FakeOptions options, IProfilesConsumer next) => new RecordingProcessor(settings, next, seen);
    }

    private sealed class CapturingExporter(ComponentCreateSettings settings) : ExporterBase(settings)
    {
        public List<ProfileBatch> Received { get; } = [];

        protected override ValueTask ExportAsync(ProfileBatch batch, CancellationToken cancellationToken)
        {
            Received.Add(batch);
            return ValueTask.CompletedTask;
        }
    }

    private sealed class ExporterFactory(RawSampleRoutingTests test) : ExporterFactory<FakeOptions>
    {
        public override string Type => "exporter";

        public override string Description => "captures";

        protected override IExporter Create(ComponentCreateSettings settings, FakeOptions options) => test._exporter = new CapturingExporter(settings);
    }

    private sealed class ReceiverFactory : ReceiverFactory<FakeOptions>
    {
        public PassiveReceiver? Created { get; private set; }

        public override string Type => "receiver";

        public override string Description => "pushes what the test gives it";

        protected override IReceiver Create(ComponentCreateSettings settings, FakeOptions options, IProfilesConsumer next) => Created = new PassiveReceiver(next);
    }

    private sealed class PassiveReceiver(IProfilesConsumer next) : IReceiver
    {
        public IProfilesConsumer Next => next;

        public Task StartAsync(IComponentHost host, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task ShutdownAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
