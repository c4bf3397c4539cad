using Collector.Core.Components;
using Collector.Core.Helpers;
using Collector.Core.Model;
using Collector.Core.Telemetry;
using Collector.Core.Tests.Telemetry;
using Collector.Telemetry;

namespace Collector.Core.Tests.Helpers;

public sealed class ProcessorBaseTests : IDisposable
{
    private readonly CollectorTelemetry _telemetry = new(TelemetryLevel.Normal);
    private readonly CapturingConsumer _next = new();

    public void Dispose() => _telemetry.Dispose();

    [Fact]
    public async Task Dropping_every_sample_still_forwards_events_and_watermark()
    {
        var processor = new DropAll(Settings(), _next);
        var batch = PipelineTelemetryTests.Batch(3);
        batch.ProcessEvents.Add(new ProcessEvent(ProcessEventKind.Exit, 9, 1, 10, "gone"));
        batch.WatermarkKtimeNanos = 20;

        await processor.ConsumeAsync(batch, CancellationToken.None);

        var forwarded = Assert.Single(_next.Batches);
        Assert.True(forwarded.HasNoSamples);
        Assert.Single(forwarded.ProcessEvents);
        Assert.Equal(20UL, forwarded.WatermarkKtimeNanos);
    }

    [Fact]
    public async Task A_batch_left_with_nothing_at_all_is_not_forwarded()
    {
        await new DropAll(Settings(), _next).ConsumeAsync(PipelineTelemetryTests.Batch(3), CancellationToken.None);

        Assert.Empty(_next.Batches);
    }

    [Fact]
    public async Task Incoming_and_outgoing_items_are_counted_by_the_helper()
    {
        var processor = new DropAll(Settings(), _next);
        await processor.ConsumeAsync(PipelineTelemetryTests.Batch(3), CancellationToken.None);
        var passing = new PassAll(Settings(), _next);
        await passing.ConsumeAsync(PipelineTelemetryTests.Batch(4), CancellationToken.None);

        var families = _telemetry.Collect();
        Assert.Equal(7, Scrape.Value(families, "otelcol_processor_incoming_items", ("processor", "test"), ("otel_signal", "profiles")));
        Assert.Equal(4, Scrape.Value(families, "otelcol_processor_outgoing_items", ("processor", "test"), ("otel_signal", "profiles")));
    }

    [Fact]
    public async Task Shutdown_runs_once_without_start_and_data_after_it_is_refused()
    {
        var processor = new PassAll(Settings(), _next);
        await processor.ShutdownAsync(CancellationToken.None);
        await processor.ShutdownAsync(CancellationToken.None);

        Assert.Equal(1, processor.Shutdowns);
        await Assert.ThrowsAsync<ComponentStoppedException>(() => processor.ConsumeAsync(PipelineTelemetryTests.Batch(1), CancellationToken.None).AsTask());
        await Assert.ThrowsAsync<ComponentStoppedException>(() => processor.StartAsync(null!, CancellationToken.None));
        Assert.Empty(_next.Batches);
    }

    [Fact]
    public async Task Start_runs_once()
    {
        var processor = new PassAll(Settings(), _next);
        await processor.StartAsync(null!, CancellationToken.None);
        await processor.StartAsync(null!, CancellationToken.None);

        Assert.Equal(1, processor.Starts);
    }

    private ComponentCreateSettings Settings() => new()
    {
        Id = ComponentId.Of("test"),
        Kind = ComponentKind.Processor,
        LoggerFactory = Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance,
        Telemetry = _telemetry.ForComponent(ComponentId.Of("test"), ComponentKind.Processor),
    };

    private sealed class DropAll(ComponentCreateSettings settings, IProfilesConsumer next) : ProcessorBase(settings, next)
    {
        public override bool MutatesData => true;

        protected override void Process(ProfileBatch batch) => batch.ResourceProfiles.Clear();
    }

    private sealed class PassAll(ComponentCreateSettings settings, IProfilesConsumer next) : ProcessorBase(settings, next)
    {
        public int Starts { get; private set; }

        public int Shutdowns { get; private set; }

        public override bool MutatesData => false;

        protected override Task OnStartAsync(IComponentHost host, CancellationToken cancellationToken)
        {
            Starts++;
            return Task.CompletedTask;
        }

        protected override Task OnShutdownAsync(CancellationToken cancellationToken)
        {
            Shutdowns++;
            return Task.CompletedTask;
        }
    }
}
