using Collector.Core.Components;
using Collector.Core.Helpers;
using Collector.Core.Model;
using Collector.Core.Telemetry;
using Collector.Core.Tests.Telemetry;
using Collector.Telemetry;

namespace Collector.Core.Tests.Helpers;

public sealed class ExporterBaseTests : IDisposable
{
    private readonly CollectorTelemetry _telemetry = new(TelemetryLevel.Normal);

    public void Dispose() => _telemetry.Dispose();

    [Fact]
    public async Task Control_data_alone_never_reaches_the_export_function()
    {
        var exporter = new Recording(Settings());
        await exporter.ConsumeAsync(new ProfileBatch { WatermarkKtimeNanos = 5 }, CancellationToken.None);
        await exporter.ConsumeAsync(new ProfileBatch { ProcessEvents = [new ProcessEvent(ProcessEventKind.Exec, 1, 0, 1, "x")] }, CancellationToken.None);

        Assert.Empty(exporter.Exported);
    }

    [Fact]
    public async Task Raw_samples_are_refused_because_the_graph_converts_them_in_front_of_exporters()
    {
        var exporter = new Recording(Settings());
        var batch = new ProfileBatch { Raw = new RawSampleSet { Samples = [new RawSample(1, 1, 0, 1, "x", new ulong[] { 1 }, new ulong[] { 2 })] } };

        await Assert.ThrowsAsync<ArgumentException>(() => exporter.ConsumeAsync(batch, CancellationToken.None).AsTask());
        Assert.Empty(exporter.Exported);
    }

    [Fact]
    public async Task Outcomes_are_counted_from_the_export_result()
    {
        var exporter = new Recording(Settings());
        await exporter.ConsumeAsync(PipelineTelemetryTests.Batch(5), CancellationToken.None);
        exporter.FailWith = new RetryableException("queue full");
        await Assert.ThrowsAsync<RetryableException>(() => exporter.ConsumeAsync(PipelineTelemetryTests.Batch(2), CancellationToken.None).AsTask());
        exporter.FailWith = new IOException("disk gone");
        await Assert.ThrowsAsync<IOException>(() => exporter.ConsumeAsync(PipelineTelemetryTests.Batch(3), CancellationToken.None).AsTask());

        var families = _telemetry.Collect();
        Assert.Equal(5, Scrape.Value(families, "otelcol_exporter_sent_profile_samples", ("exporter", "test")));
        Assert.Equal(2, Scrape.Value(families, "otelcol_exporter_enqueue_failed_profile_samples", ("exporter", "test")));
        Assert.Equal(3, Scrape.Value(families, "otelcol_exporter_send_failed_profile_samples", ("exporter", "test")));
    }

    [Fact]
    public async Task After_shutdown_batches_are_refused_and_shutdown_runs_once()
    {
        var exporter = new Recording(Settings());
        await exporter.StartAsync(null!, CancellationToken.None);
        await exporter.ShutdownAsync(CancellationToken.None);
        await exporter.ShutdownAsync(CancellationToken.None);

        Assert.Equal(1, exporter.Shutdowns);
        await Assert.ThrowsAsync<ComponentStoppedException>(() => exporter.ConsumeAsync(PipelineTelemetryTests.Batch(1), CancellationToken.None).AsTask());
    }

    private ComponentCreateSettings Settings() => new()
    {
        Id = ComponentId.Of("test"),
        Kind = ComponentKind.Exporter,
        LoggerFactory = Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance,
        Telemetry = _telemetry.ForComponent(ComponentId.Of("test"), ComponentKind.Exporter),
    };

    private sealed class Recording(ComponentCreateSettings settings) : ExporterBase(settings)
    {
        public List<ProfileBatch> Exported { get; } = [];

        public Exception? FailWith { get; set; }

        public int Shutdowns { get; private set; }

        protected override ValueTask ExportAsync(ProfileBatch batch, CancellationToken cancellationToken)
        {
            if (FailWith is not null) throw FailWith;
            Exported.Add(batch);
            return ValueTask.CompletedTask;
        }

        protected override Task OnShutdownAsync(CancellationToken cancellationToken)
        {
            Shutdowns++;
            return Task.CompletedTask;
        }
    }
}
