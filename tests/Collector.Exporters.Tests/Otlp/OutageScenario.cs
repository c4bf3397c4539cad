using System.Globalization;
using Collector.Core.Components;
using Collector.Exporters.Tests.Otlp.Support;

namespace Collector.Exporters.Tests.Otlp;

/// <summary>
/// A backend outage under steady load: the sink is down (connection refused) for <see cref="Outage"/>, while a
/// producer hands the exporter a batch every 20 ms; then the sink comes back and the producer goes on for two
/// more seconds. Set COLLECTOR_OUTAGE_SECONDS=60 to run the full-length outage by hand (the suite uses 5 s).
/// </summary>
internal sealed class OutageScenario
{
    public const int BatchesPerSecond = 50;
    public const int SamplesPerBatch = 10;

    public static TimeSpan Outage { get; } = TimeSpan.FromSeconds(
        int.TryParse(Environment.GetEnvironmentVariable("COLLECTOR_OUTAGE_SECONDS"), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? seconds : 5);

    public static TimeSpan Load => Outage + TimeSpan.FromSeconds(2);

    /// <summary>Requests the producer makes in all: a queue this large never fills.</summary>
    public static int Batches => (int)(Load.TotalSeconds * BatchesPerSecond);

    public long AcceptedSamples { get; private set; }

    public long RefusedSamples { get; private set; }

    public HashSet<long> AcceptedPids { get; } = [];

    public List<long> DeliveredPids { get; } = [];

    public long DeliveredSamples { get; private set; }

    public Exporters.Otlp.OtlpExporter Exporter { get; private set; } = null!;

    /// <summary>From the sink's return to the first moment the queue was empty.</summary>
    public TimeSpan? Recovery { get; private set; }

    public override string ToString() =>
        $"outage {Outage.TotalSeconds} s, {Batches} batches of {SamplesPerBatch} samples: accepted {AcceptedSamples}, refused {RefusedSamples}, " +
        $"delivered {DeliveredSamples} in {Exporter.SentRequests} requests, send_failed {Exporter.SendFailedSamples}, enqueue_failed {Exporter.EnqueueFailedSamples}, " +
        $"queue empty {Recovery?.TotalMilliseconds:0} ms after the backend returned";

    public async Task RunAsync(int queueSize)
    {
        var port = FreePort.Next();
        Exporter = TestExporters.Grpc($"127.0.0.1:{port}", o =>
        {
            o.SendingQueue.QueueSize = queueSize;
            o.SendingQueue.NumConsumers = 4;
            o.RetryOnFailure.InitialInterval = TimeSpan.FromMilliseconds(100);
            o.RetryOnFailure.MaxInterval = TimeSpan.FromSeconds(1);
            o.RetryOnFailure.MaxElapsedTime = TimeSpan.Zero;
        });
        await Exporter.StartAsync(new TestHost(), default);

        GrpcSink? sink = null;
        DateTime? sinkUp = null;
        var started = DateTime.UtcNow;
        var interval = TimeSpan.FromSeconds(1.0 / BatchesPerSecond);
        for (var i = 0; i < Batches; i++)
        {
            if (sink is null && DateTime.UtcNow - started >= Outage)
            {
                sink = await GrpcSink.StartAsync(port);
                sinkUp = DateTime.UtcNow;
            }
            if (sinkUp is not null && Recovery is null && Exporter.QueueSize == 0) Recovery = DateTime.UtcNow - sinkUp;
            try
            {
                await Exporter.ConsumeAsync(TestBatches.Simple(SamplesPerBatch, pid: i), default);
                AcceptedSamples += SamplesPerBatch;
                AcceptedPids.Add(i);
            }
            catch (RetryableException)
            {
                // The pipeline would retry or drop; either way the exporter has counted it.
                RefusedSamples += SamplesPerBatch;
            }
            var due = started + interval * (i + 1);
            if (due > DateTime.UtcNow) await Task.Delay(due - DateTime.UtcNow);
        }
        sink ??= await GrpcSink.StartAsync(port);

        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await Exporter.ShutdownAsync(patience.Token);
        DeliveredPids.AddRange(sink.Received.Select(r => r.Request.ResourceProfiles[0].Resource.Attributes.Single(a => a.Key == "process.pid").Value.IntValue));
        DeliveredSamples = sink.Received.Sum(r => Records.SampleCount(r.Request));
        await sink.DisposeAsync();
    }
}

public class OutageWithLargeQueueTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Nothing_is_lost_when_the_queue_outlasts_the_outage()
    {
        var scenario = new OutageScenario();

        await scenario.RunAsync(queueSize: OutageScenario.Batches);
        output.WriteLine(scenario.ToString());

        Assert.Equal(0, scenario.RefusedSamples);
        Assert.Equal((long)OutageScenario.Batches * OutageScenario.SamplesPerBatch, scenario.DeliveredSamples);
        Assert.Equal(scenario.AcceptedPids.Order(), scenario.DeliveredPids.Order());
        Assert.Equal(0, scenario.Exporter.SendFailedSamples);
        Assert.Equal(0, scenario.Exporter.EnqueueFailedSamples);
    }
}

public class OutageWithSmallQueueTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_queue_too_small_for_the_outage_refuses_and_counts_what_it_cannot_hold_and_loses_nothing_it_accepted()
    {
        var scenario = new OutageScenario();

        await scenario.RunAsync(queueSize: 20);
        output.WriteLine(scenario.ToString());

        Assert.True(scenario.RefusedSamples > 0, "the queue should have filled during the outage");
        Assert.Equal(scenario.RefusedSamples, scenario.Exporter.EnqueueFailedSamples);
        Assert.Equal(scenario.AcceptedSamples, scenario.DeliveredSamples);
        Assert.Equal(scenario.AcceptedPids.Order(), scenario.DeliveredPids.Order());
        Assert.Equal(scenario.AcceptedSamples, scenario.Exporter.SentSamples);
        Assert.Equal(0, scenario.Exporter.SendFailedSamples);
    }
}
