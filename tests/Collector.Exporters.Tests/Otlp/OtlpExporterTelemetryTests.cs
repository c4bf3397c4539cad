using Collector.Core.Telemetry;
using Collector.Exporters.Tests.Otlp.Support;
using Collector.Protocol.Grpc;
using Collector.Telemetry;
using Collector.Telemetry.Exposition;

namespace Collector.Exporters.Tests.Otlp;

/// <summary>The exporter's outcomes reach self-telemetry when they happen (sent when the server said so, not when queued).</summary>
public sealed class OtlpExporterTelemetryTests : IAsyncLifetime
{
    private readonly CollectorTelemetry _telemetry = new(TelemetryLevel.Detailed);
    private GrpcSink _sink = null!;

    public async ValueTask InitializeAsync() => _sink = await GrpcSink.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await _sink.DisposeAsync();
        _telemetry.Dispose();
    }

    [Fact]
    public async Task Sent_refused_failed_and_queue_gauges_are_reported_under_the_exporter_id()
    {
        _sink.Reply = r => r.Number switch
        {
            1 => GrpcReply.Ok with { Delay = TimeSpan.FromMilliseconds(500), RejectedProfiles = 1, PartialMessage = "one" },
            2 => GrpcReply.Status(GrpcStatusCode.InvalidArgument),
            _ => GrpcReply.Ok,
        };
        var exporter = TestExporters.Grpc(_sink.Endpoint, o =>
        {
            o.SendingQueue.NumConsumers = 1;
            o.SendingQueue.QueueSize = 1;
        }, id: "otlp_grpc/backend", telemetry: _telemetry);
        await exporter.StartAsync(new TestHost(), default);

        await exporter.ConsumeAsync(TestBatches.Simple(3), default);
        await Eventually.HoldsAsync(() => _sink.Calls == 1, TimeSpan.FromSeconds(20), () => "the first request in flight");
        Assert.Equal(0, Value("otelcol_exporter_sent_profile_samples"));
        await exporter.ConsumeAsync(TestBatches.Simple(4), default);
        Assert.Equal(1, Value("otelcol_exporter_queue_size"));
        Assert.Equal(1, Value("otelcol_exporter_queue_capacity"));
        await Assert.ThrowsAsync<Core.Components.RetryableException>(() => exporter.ConsumeAsync(TestBatches.Simple(5), default).AsTask());
        await exporter.ShutdownAsync(default);

        Assert.Equal(3, Value("otelcol_exporter_sent_profile_samples"));
        Assert.Equal(4, Value("otelcol_exporter_send_failed_profile_samples"));
        Assert.Equal(5, Value("otelcol_exporter_enqueue_failed_profile_samples"));
        Assert.Equal(1, Value("otelcol_exporter_otlp_partial_success_rejected_profiles"));
        Assert.Equal(exporter.RequestBytesSent, Value("otelcol_exporter_otlp_request_sent_bytes"));
    }

    private double Value(string family)
    {
        var families = _telemetry.Collect();
        var found = families.SingleOrDefault(f => f.Name == family)
            ?? throw new InvalidOperationException($"no family {family} in [{string.Join(", ", families.Select(f => f.Name))}]");
        return found.Series.Single(s => s.Labels.Contains(new MetricLabel("exporter", "otlp_grpc/backend"))).Value;
    }
}
