using Collector.Core.Components;
using Collector.Core.Helpers;
using Collector.Core.Model;
using Collector.Core.Pipeline;
using Collector.Core.Telemetry;
using Collector.Core.Telemetry.Pipeline;
using Collector.Core.Tests.Pipeline;
using Collector.Telemetry;
using Microsoft.Extensions.Logging.Abstractions;

namespace Collector.Core.Tests.Telemetry;

/// <summary>The graph gives every component its standard metrics without the component doing anything.</summary>
public sealed class PipelineTelemetryTests : IDisposable
{
    private readonly Journal _journal = new();
    private readonly FakeReceiverFactory _receivers;
    private readonly FakeProcessorFactory _processors;
    private readonly FakeExporterFactory _exporters;
    private readonly CollectorTelemetry _telemetry = new(TelemetryLevel.Normal);

    public PipelineTelemetryTests()
    {
        _receivers = new FakeReceiverFactory(_journal);
        _processors = new FakeProcessorFactory(_journal);
        _exporters = new FakeExporterFactory(_journal);
    }

    public void Dispose() => _telemetry.Dispose();

    internal static ProfileBatch Batch(int samples)
    {
        var profile = new Profile { SampleType = Core.Model.ValueType.Samples, PeriodType = Core.Model.ValueType.CpuNanoseconds, Period = 10_000_000 };
        for (var i = 0; i < samples; i++) profile.Samples.Add(new Sample(Stack.Empty) { TimestampsUnixNano = [(ulong)i] });
        return new ProfileBatch { ResourceProfiles = [new ResourceProfiles { ScopeProfiles = [new ScopeProfiles { Profiles = [profile] }] }] };
    }

    [Fact]
    public async Task Accepted_and_sent_count_every_sample_that_went_through()
    {
        var graph = Build(["fake_receiver"], ["fake_processor"], ["fake_exporter"]);
        await graph.StartAsync(new TestHost(), CancellationToken.None);
        await _receivers.Created[0].EmitAsync(Batch(7));
        await _receivers.Created[0].EmitAsync(Batch(5));
        await _receivers.Created[0].EmitAsync(new ProfileBatch { WatermarkKtimeNanos = 1 });
        await graph.ShutdownAsync(CancellationToken.None);

        var families = _telemetry.Collect();
        Assert.Equal(12, Scrape.Value(families, "otelcol_receiver_accepted_profile_samples", ("receiver", "fake_receiver")));
        Assert.Equal(0, Scrape.Value(families, "otelcol_receiver_refused_profile_samples", ("receiver", "fake_receiver")));
        Assert.Equal(12, Scrape.Value(families, "otelcol_processor_incoming_items", ("processor", "fake_processor"), ("otel_signal", "profiles")));
        // The fake processor holds batches until shutdown and flushes them then: outgoing counts them on the way out.
        Assert.Equal(12, Scrape.Value(families, "otelcol_processor_outgoing_items", ("processor", "fake_processor"), ("otel_signal", "profiles")));
        Assert.Equal(12, Scrape.Value(families, "otelcol_exporter_sent_profile_samples", ("exporter", "fake_exporter")));
        Assert.Equal(0, Scrape.Value(families, "otelcol_exporter_send_failed_profile_samples", ("exporter", "fake_exporter")));
    }

    [Fact]
    public async Task A_permanent_failure_is_failed_at_the_receiver_and_send_failed_at_the_exporter()
    {
        var graph = Build(["fake_receiver"], [], ["fake_exporter"]);
        await graph.StartAsync(new TestHost(), CancellationToken.None);
        _exporters.Created["fake_exporter"].FailWith = new IOException("disk full");

        await Assert.ThrowsAsync<IOException>(() => _receivers.Created[0].EmitAsync(Batch(4)).AsTask());

        var families = _telemetry.Collect();
        Assert.Equal(4, Scrape.Value(families, "otelcol_receiver_failed_profile_samples", ("receiver", "fake_receiver")));
        Assert.Equal(4, Scrape.Value(families, "otelcol_exporter_send_failed_profile_samples", ("exporter", "fake_exporter")));
        Assert.Equal(0, Scrape.Value(families, "otelcol_exporter_sent_profile_samples", ("exporter", "fake_exporter")));
    }

    [Fact]
    public async Task Backpressure_is_refused_at_the_receiver_and_enqueue_failed_at_the_exporter()
    {
        var graph = Build(["fake_receiver"], [], ["fake_exporter"]);
        await graph.StartAsync(new TestHost(), CancellationToken.None);
        _exporters.Created["fake_exporter"].FailWith = new RetryableException("queue full");

        await Assert.ThrowsAsync<RetryableException>(() => _receivers.Created[0].EmitAsync(Batch(3)).AsTask());

        var families = _telemetry.Collect();
        Assert.Equal(3, Scrape.Value(families, "otelcol_receiver_refused_profile_samples", ("receiver", "fake_receiver")));
        Assert.Equal(3, Scrape.Value(families, "otelcol_exporter_enqueue_failed_profile_samples", ("exporter", "fake_exporter")));
        Assert.Equal(0, Scrape.Value(families, "otelcol_exporter_send_failed_profile_samples", ("exporter", "fake_exporter")));
    }

    [Fact]
    public async Task A_receiver_labels_its_counts_with_the_transport_it_pushes_through()
    {
        var graph = Build(["fake_receiver"], [], ["fake_exporter"]);
        await graph.StartAsync(new TestHost(), CancellationToken.None);
        var next = _receivers.Created[0].Next;
        var grpc = next.WithTransport("grpc");
        var http = next.WithTransport("http");

        await grpc.ConsumeAsync(Batch(2), CancellationToken.None);
        await http.ConsumeAsync(Batch(3), CancellationToken.None);
        await next.WithTransport("grpc").ConsumeAsync(Batch(1), CancellationToken.None);

        var families = _telemetry.Collect();
        Assert.Same(grpc, next.WithTransport("grpc"));
        Assert.Equal(3, Scrape.Value(families, "otelcol_receiver_accepted_profile_samples", ("receiver", "fake_receiver"), ("transport", "grpc")));
        Assert.Equal(3, Scrape.Value(families, "otelcol_receiver_accepted_profile_samples", ("receiver", "fake_receiver"), ("transport", "http")));
        // Nothing went through the unlabelled consumer, so it has no series.
        Assert.Null(Scrape.Value(families, "otelcol_receiver_accepted_profile_samples", ("receiver", "fake_receiver")));
        Assert.Equal(6, Scrape.Value(families, "otelcol_exporter_sent_profile_samples", ("exporter", "fake_exporter")));
    }

    [Fact]
    public void A_consumer_outside_a_graph_is_returned_as_it_is_for_any_transport()
    {
        var exporter = new FakeExporter("x", _journal, mutates: false);
        Assert.Same(exporter, exporter.WithTransport("grpc"));
    }

    [Fact]
    public async Task An_exporter_that_reports_its_own_outcomes_is_not_counted_twice()
    {
        var factory = new SelfReportingExporterFactory();
        var graph = PipelineGraph.Build(Service(["fake_receiver"], [], ["self_reporting"], factory), NullLoggerFactory.Instance, telemetry: _telemetry);
        await graph.StartAsync(new TestHost(), CancellationToken.None);
        await _receivers.Created[0].EmitAsync(Batch(6));

        // It queued the batch and sends half now: only what it reports counts as sent.
        factory.Created!.SendHalf();
        Assert.Equal(3, Scrape.Value(_telemetry.Collect(), "otelcol_exporter_sent_profile_samples", ("exporter", "self_reporting")));
    }

    [Fact]
    public async Task Health_follows_start_shutdown_and_an_exporter_that_keeps_failing()
    {
        var graph = Build(["fake_receiver"], [], ["fake_exporter"]);
        Assert.False(_telemetry.Health.Check(3).Healthy);
        await graph.StartAsync(new TestHost(), CancellationToken.None);
        Assert.True(_telemetry.Health.Check(3).Healthy);

        var exporter = _exporters.Created["fake_exporter"];
        exporter.FailWith = new IOException("disk full");
        for (var i = 0; i < 2; i++) await Assert.ThrowsAsync<IOException>(() => _receivers.Created[0].EmitAsync(Batch(1)).AsTask());
        Assert.True(_telemetry.Health.Check(3).Healthy);
        await Assert.ThrowsAsync<IOException>(() => _receivers.Created[0].EmitAsync(Batch(1)).AsTask());
        var report = _telemetry.Health.Check(3);
        Assert.False(report.Healthy);
        Assert.Contains(report.Problems, p => p.Contains("fake_exporter", StringComparison.Ordinal) && p.Contains("disk full", StringComparison.Ordinal));
        Assert.True(_telemetry.Health.Check(0).Healthy);

        exporter.FailWith = null;
        await _receivers.Created[0].EmitAsync(Batch(1));
        Assert.True(_telemetry.Health.Check(3).Healthy);

        await graph.ShutdownAsync(CancellationToken.None);
        Assert.False(_telemetry.Health.Check(3).Healthy);
    }

    [Fact]
    public void A_fatal_error_makes_the_collector_unhealthy_for_good()
    {
        _telemetry.Health.MarkRunning();
        _telemetry.Health.ReportFatalError(ComponentId.Of("ebpf_profiling"), new NotSupportedException("no BPF"));
        var report = _telemetry.Health.Check(5);
        Assert.False(report.Healthy);
        Assert.Equal(["ebpf_profiling: no BPF"], report.Problems);
    }

    private PipelineGraph Build(string[] receivers, string[] processors, string[] exporters) =>
        PipelineGraph.Build(Service(receivers, processors, exporters, _exporters), NullLoggerFactory.Instance, telemetry: _telemetry);

    private ServiceDefinition Service(string[] receivers, string[] processors, string[] exporters, IExporterFactory exporterFactory)
    {
        var pipeline = new PipelineDefinition(PipelineId.Parse("profiles"),
            receivers.Select(ComponentId.Parse).ToList(), processors.Select(ComponentId.Parse).ToList(), exporters.Select(ComponentId.Parse).ToList());
        Dictionary<ComponentId, ComponentDefinition> Defs(ComponentKind kind, IComponentFactory factory, IEnumerable<ComponentId> ids) =>
            ids.ToDictionary(id => id, id => new ComponentDefinition(kind, id, factory, new FakeOptions()));
        return new ServiceDefinition
        {
            Receivers = Defs(ComponentKind.Receiver, _receivers, pipeline.Receivers),
            Processors = Defs(ComponentKind.Processor, _processors, pipeline.Processors),
            Exporters = Defs(ComponentKind.Exporter, exporterFactory, pipeline.Exporters),
            Extensions = new Dictionary<ComponentId, ComponentDefinition>(),
            EnabledExtensions = [],
            Pipelines = [pipeline],
        };
    }

    /// <summary>Queues batches and sends later, as an OTLP exporter with a sending queue does.</summary>
    private sealed class SelfReportingExporter(ComponentCreateSettings settings) : ExporterBase(settings)
    {
        private readonly List<int> _queued = [];

        protected override bool ReportsOwnOutcomes => true;

        protected override ValueTask ExportAsync(ProfileBatch batch, CancellationToken cancellationToken)
        {
            _queued.Add(batch.SampleCount);
            return ValueTask.CompletedTask;
        }

        public void SendHalf() => Outcomes.Sent(_queued.Sum() / 2);
    }

    private sealed class SelfReportingExporterFactory : ExporterFactory<FakeOptions>
    {
        public SelfReportingExporter? Created { get; private set; }

        public override string Type => "self_reporting";

        public override string Description => "reports its own sends";

        protected override IExporter Create(ComponentCreateSettings settings, FakeOptions options) =>
            Created = new SelfReportingExporter(settings);
    }
}
