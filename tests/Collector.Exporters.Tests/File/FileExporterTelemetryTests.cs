using Collector.Core.Components;
using Collector.Core.Telemetry;
using Collector.Exporters.File;
using Collector.Telemetry;
using Collector.Telemetry.Exposition;

namespace Collector.Exporters.Tests.File;

/// <summary>The file exporter's own sent/send-failed counts reach self-telemetry, as samples reach the file (or not).</summary>
public sealed class FileExporterTelemetryTests : IDisposable
{
    private readonly FileExporterFixture _fixture = new();
    private readonly CollectorTelemetry _telemetry = new(TelemetryLevel.Normal);

    public void Dispose()
    {
        _telemetry.Dispose();
        _fixture.Dispose();
    }

    private FileExporter Create(FileExporterOptions options, FailureSwitch? failures = null)
    {
        var settings = Settings.For("file", ComponentKind.Exporter, _fixture.Time, _fixture.Logs, _telemetry);
        return failures is null ? new FileExporter(settings, options) : new FileExporter(settings, options, failures.Open);
    }

    private double Value(string family) =>
        _telemetry.Collect().Single(f => f.Name == family).Series.Single(s => s.Labels.SequenceEqual([new MetricLabel("exporter", "file")])).Value;

    [Fact]
    public async Task Samples_count_as_sent_when_their_record_reaches_the_file_not_when_buffered()
    {
        var exporter = Create(new FileExporterOptions { Path = _fixture.PathOf("out.jsonl") });
        await exporter.StartAsync(_fixture.Host, CancellationToken.None);
        // The first record goes out at once (nothing written for an interval); the next one waits in the buffer.
        await exporter.ConsumeAsync(TestBatches.Simple(2), CancellationToken.None);
        Assert.Equal(2, Value("otelcol_exporter_sent_profile_samples"));
        await exporter.ConsumeAsync(TestBatches.Simple(5), CancellationToken.None);
        Assert.Equal(2, Value("otelcol_exporter_sent_profile_samples"));

        _fixture.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(7, Value("otelcol_exporter_sent_profile_samples"));
        Assert.Equal(exporter.WrittenSamples, Value("otelcol_exporter_sent_profile_samples"));
        await exporter.ShutdownAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Failed_writes_count_as_send_failed_and_in_a_row_until_one_succeeds()
    {
        var failures = new FailureSwitch { SpaceLeft = 0 };
        var exporter = Create(new FileExporterOptions { Path = _fixture.PathOf("out.jsonl"), FlushInterval = TimeSpan.FromHours(1) }, failures);
        await exporter.StartAsync(_fixture.Host, CancellationToken.None);

        for (var i = 0; i < 3; i++)
        {
            await exporter.ConsumeAsync(TestBatches.Simple(2), CancellationToken.None);
            _fixture.Time.Advance(TimeSpan.FromHours(1));
        }
        Assert.Equal(6, Value("otelcol_exporter_send_failed_profile_samples"));
        Assert.Equal(exporter.FailedSamples, Value("otelcol_exporter_send_failed_profile_samples"));
        _telemetry.Health.MarkRunning();
        Assert.False(_telemetry.Health.Check(3).Healthy);

        failures.SpaceLeft = null;
        await exporter.ConsumeAsync(TestBatches.Simple(1), CancellationToken.None);
        _fixture.Time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(1, Value("otelcol_exporter_sent_profile_samples"));
        Assert.True(_telemetry.Health.Check(3).Healthy);
        await exporter.ShutdownAsync(CancellationToken.None);
    }
}
