using System.Net;
using Collector.Protocol.Grpc;
using Collector.Receivers.Tests.Support;

namespace Collector.Receivers.Tests.Otlp;

public class OtlpReceiverBackpressureTests
{
    [Fact]
    public async Task Beyond_max_concurrent_requests_both_protocols_answer_retry_later_at_once_and_nothing_accepted_is_lost()
    {
        await using var fixture = new OtlpReceiverFixture();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var consumer = new CapturingConsumer { Behaviour = (_, _) => release.Task };
        var receiver = await fixture.StartAsync(consumer, OtlpReceiverFixture.BothProtocols(maxConcurrentRequests: 2));
        var grpc = fixture.GrpcClient();
        var uri = OtlpReceiverFixture.GrpcUri(receiver);

        var held = new[]
        {
            GrpcTestClient.ExportAsync(grpc, uri, OtlpReceiverFixture.Proto(TestBatches.Simple(3, pid: 1))),
            GrpcTestClient.ExportAsync(grpc, uri, OtlpReceiverFixture.Proto(TestBatches.Simple(4, pid: 2))),
        };
        await Eventually.TrueAsync(() => consumer.Calls == 2, "both requests are held by the pipeline");
        var refusedGrpc = await GrpcTestClient.ExportAsync(grpc, uri, OtlpReceiverFixture.Proto(TestBatches.Simple(5, pid: 3)));
        using var refusedHttp = await OtlpHttpReceiverTests.PostAsync(fixture, receiver, OtlpReceiverFixture.Json(TestBatches.Simple(6, pid: 4)), "application/json");
        release.SetResult();
        var accepted = await Task.WhenAll(held);
        var after = await GrpcTestClient.ExportAsync(grpc, uri, OtlpReceiverFixture.Proto(TestBatches.Simple(7, pid: 5)));

        Assert.Equal(GrpcStatusCode.Unavailable, refusedGrpc.Code);
        Assert.True(OtlpStatusMapping.IsRetryable(refusedGrpc.Code!.Value, hasRetryInfo: false));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refusedHttp.StatusCode);
        Assert.NotNull(refusedHttp.Headers.RetryAfter);
        Assert.All(accepted, reply => Assert.Equal(GrpcStatusCode.OK, reply.Code));
        Assert.Equal(GrpcStatusCode.OK, after.Code);
        // Every request answered OK is in the pipeline, and nothing else is.
        Assert.Equal(3 + 4 + 7, consumer.AcceptedSamples);
        Assert.Equal(3 + 4 + 7, receiver.Grpc.AcceptedSamples);
        Assert.Equal(1, receiver.Grpc.RefusedRequests);
        Assert.Equal(1, receiver.Http.RefusedRequests);
    }

    [Fact]
    public async Task Shutdown_lets_a_request_in_progress_finish_and_then_refuses_connections()
    {
        await using var fixture = new OtlpReceiverFixture();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var consumer = new CapturingConsumer { Behaviour = (_, _) => release.Task };
        var receiver = await fixture.StartAsync(consumer);
        var uri = OtlpReceiverFixture.GrpcUri(receiver);
        var httpUri = OtlpReceiverFixture.HttpUri(receiver);

        var inFlight = GrpcTestClient.ExportAsync(fixture.GrpcClient(), uri, OtlpReceiverFixture.Proto(TestBatches.Simple(2)));
        await Eventually.TrueAsync(() => consumer.Calls == 1, "the request reached the pipeline");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var shutdown = receiver.ShutdownAsync(timeout.Token);
        await Task.Delay(200);
        Assert.False(shutdown.IsCompleted);
        release.SetResult();
        var reply = await inFlight;
        await shutdown;
        await receiver.ShutdownAsync(timeout.Token);

        Assert.Equal(GrpcStatusCode.OK, reply.Code);
        Assert.Equal(2, consumer.AcceptedSamples);
        await Assert.ThrowsAsync<HttpRequestException>(() => fixture.HttpClient().PostAsync(httpUri, new ByteArrayContent([])));
    }
}
