using System.Net;
using Collector.Core.Components;
using Collector.Core.Model;
using Collector.Processors.MemoryLimiter;
using Collector.Protocol.Grpc;
using Collector.Receivers.Ebpf;
using Collector.Receivers.OtlpJsonFile;
using Collector.Receivers.Tests.Otlp;
using Collector.Receivers.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Collector.Receivers.Tests.MemoryLimiter;

/// <summary>
/// Each receiver in front of a real <c>memory_limiter</c> (limit 100 MiB, spike 20 MiB) whose memory reading the
/// test sets, one check per step of a manual clock: what the receiver makes of "data refused due to high memory
/// usage", and that nothing acknowledged or replayed is lost.
/// </summary>
public sealed class MemoryLimiterBackpressureTests
{
    private const long Mib = 1024 * 1024;

    private readonly ManualTimeProvider _clock = new();
    private readonly SetMemory _memory = new() { Bytes = 10 * Mib };
    private readonly CapturingConsumer _sink = new();

    [Fact]
    public async Task Otlp_answers_unavailable_over_grpc_and_503_with_retry_after_over_http_and_every_ok_reaches_the_sink()
    {
        var limiter = await StartLimiterAsync();
        await using var fixture = new OtlpReceiverFixture();
        var receiver = await fixture.StartAsync(limiter, OtlpReceiverFixture.BothProtocols());
        var grpc = fixture.GrpcClient();
        var uri = OtlpReceiverFixture.GrpcUri(receiver);

        var before = await GrpcTestClient.ExportAsync(grpc, uri, OtlpReceiverFixture.Proto(TestBatches.Simple(3, pid: 1)));
        Check(memoryMib: 90);
        var refusedGrpc = await GrpcTestClient.ExportAsync(grpc, uri, OtlpReceiverFixture.Proto(TestBatches.Simple(4, pid: 2)));
        using var refusedHttp = await OtlpHttpReceiverTests.PostAsync(fixture, receiver, OtlpReceiverFixture.Proto(TestBatches.Simple(5, pid: 3)), "application/x-protobuf");
        Check(memoryMib: 70);
        var after = await GrpcTestClient.ExportAsync(grpc, uri, OtlpReceiverFixture.Proto(TestBatches.Simple(6, pid: 4)));
        using var afterHttp = await OtlpHttpReceiverTests.PostAsync(fixture, receiver, OtlpReceiverFixture.Json(TestBatches.Simple(7, pid: 5)), "application/json");

        Assert.Equal(GrpcStatusCode.OK, before.Code);
        Assert.Equal(GrpcStatusCode.Unavailable, refusedGrpc.Code);
        Assert.True(OtlpStatusMapping.IsRetryable(refusedGrpc.Code!.Value, hasRetryInfo: false));
        Assert.Contains(MemoryLimiterProcessor.RefusalMessage, refusedGrpc.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refusedHttp.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), refusedHttp.Headers.RetryAfter?.Delta);
        Assert.Equal(GrpcStatusCode.OK, after.Code);
        Assert.Equal(HttpStatusCode.OK, afterHttp.StatusCode);
        // Exactly what was acknowledged is downstream.
        Assert.Equal(3 + 6 + 7, _sink.AcceptedSamples);
        Assert.Equal(3 + 6, receiver.Grpc.AcceptedSamples);
        Assert.Equal(4, receiver.Grpc.RefusedSamples);
        Assert.Equal(5, receiver.Http.RefusedSamples);
        await limiter.ShutdownAsync(CancellationToken.None);
    }

    [Fact]
    public async Task The_replay_receiver_waits_while_refused_and_then_delivers_every_line_in_order()
    {
        var limiter = await StartLimiterAsync();
        Check(memoryMib: 95);
        using var dir = new TempDirectory();
        var path = dir.File("in.jsonl");
        await File.WriteAllBytesAsync(path, JsonLines.Of(TestBatches.Simple(1), TestBatches.Simple(2), TestBatches.Simple(3)));
        var counted = new CountingConsumer(limiter);
        var receiver = new OtlpJsonFileReceiver(Settings.For("otlp_json_file", ComponentKind.Receiver), new OtlpJsonFileReceiverOptions { Include = [path] }, counted);
        var host = new TestHost();

        await receiver.StartAsync(host, CancellationToken.None);
        await Eventually.TrueAsync(() => counted.Refusals >= 3, "the first line refused and retried");
        Assert.Empty(_sink.Batches);
        Check(memoryMib: 50);
        await receiver.Reading.WaitAsync(TimeSpan.FromSeconds(30));
        await receiver.ShutdownAsync(CancellationToken.None);

        Assert.Equal([1, 2, 3], _sink.Batches.Select(b => b.SampleCount));
        Assert.Equal(3, receiver.AcceptedBatches);
        Assert.Equal(0, receiver.FailedBatches);
        Assert.Empty(host.FatalErrors);
        await limiter.ShutdownAsync(CancellationToken.None);
    }

    [Fact]
    public async Task The_ebpf_outbox_drops_refused_samples_at_once_and_passes_exits_and_watermarks_without_waiting()
    {
        var limiter = await StartLimiterAsync();
        Check(memoryMib: 95);
        var outbox = new BatchOutbox(limiter, capacity: 16, NullLogger.Instance, _clock);
        var tick = new ProfileBatch
        {
            Raw = new RawSampleSet { Samples = [.. Enumerable.Repeat(new RawSample(7, 7, 0, 5, "app", default, default), 19)] },
            ProcessEvents = [new ProcessEvent(ProcessEventKind.Exit, 7, 1, 6, "app")],
            WatermarkKtimeNanos = 10,
        };

        outbox.Enqueue(tick);
        var delivery = outbox.DeliverAsync(CancellationToken.None);

        Assert.True(delivery.IsCompletedSuccessfully); // never a wait on the poll thread
        var control = Assert.Single(_sink.Batches);
        Assert.Equal(0, control.SampleCount);
        Assert.Equal(tick.ProcessEvents, control.ProcessEvents);
        Assert.Equal(10ul, control.WatermarkKtimeNanos);
        Assert.Equal(19, outbox.SamplesDropped);
        Assert.Equal(0, outbox.Waiting);
        await limiter.ShutdownAsync(CancellationToken.None);
    }

    private async Task<IProcessor> StartLimiterAsync()
    {
        var options = new MemoryLimiterOptions { CheckInterval = TimeSpan.FromSeconds(1), LimitMib = 100, SpikeLimitMib = 20 };
        var limiter = new MemoryLimiterProcessor(Settings.For("memory_limiter", ComponentKind.Processor, _clock), options, _sink, _memory, () => 0);
        await limiter.StartAsync(new TestHost(), CancellationToken.None);
        return limiter;
    }

    /// <summary>Sets the memory reading and lets one check_interval pass.</summary>
    private void Check(long memoryMib)
    {
        _memory.Bytes = memoryMib * Mib;
        _clock.Advance(TimeSpan.FromSeconds(1));
    }

    private sealed class SetMemory : IProcessMemory
    {
        public long Bytes { get; set; }

        public long UsedBytes() => Bytes;

        public void Collect(bool returnToSystem)
        {
        }
    }

    /// <summary>Counts the retryable refusals coming back from downstream.</summary>
    private sealed class CountingConsumer(IProfilesConsumer next) : IProfilesConsumer
    {
        private int _refusals;

        public int Refusals => Volatile.Read(ref _refusals);

        public bool MutatesData => next.MutatesData;

        public async ValueTask ConsumeAsync(ProfileBatch batch, CancellationToken cancellationToken)
        {
            try
            {
                await next.ConsumeAsync(batch, cancellationToken);
            }
            catch (RetryableException)
            {
                Interlocked.Increment(ref _refusals);
                throw;
            }
        }
    }
}
