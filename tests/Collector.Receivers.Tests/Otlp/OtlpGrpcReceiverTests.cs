using System.Net;
using Collector.Core.Components;
using Collector.Core.Model;
using Collector.Otlp;
using Collector.Otlp.Proto.Collector;
using Collector.Protocol.Grpc;
using Collector.Receivers.Otlp;
using Collector.Receivers.Tests.Support;
using Google.Protobuf;

namespace Collector.Receivers.Tests.Otlp;

public class OtlpGrpcReceiverTests
{
    [Theory]
    [InlineData(GrpcCompression.Identity)]
    [InlineData(GrpcCompression.Gzip)]
    public async Task An_export_is_answered_OK_after_the_pipeline_took_exactly_what_was_sent(GrpcCompression compression)
    {
        await using var fixture = new OtlpReceiverFixture();
        var consumer = new CapturingConsumer();
        var receiver = await fixture.StartAsync(consumer);
        var sent = TestBatches.Known();

        var reply = await GrpcTestClient.ExportAsync(fixture.GrpcClient(), OtlpReceiverFixture.GrpcUri(receiver), OtlpReceiverFixture.Proto(sent), compression);

        Assert.Equal(GrpcStatusCode.OK, reply.Code);
        Assert.Equal(HttpStatusCode.OK, reply.Http);
        Assert.Equal(new Version(2, 0), reply.Response.Version);
        Assert.False(reply.TrailersOnly);
        // One frame holding an empty ExportProfilesServiceResponse, then grpc-status in the trailers.
        Assert.Equal(new byte[5], reply.Body);
        Assert.Equal("application/grpc", reply.Response.Content.Headers.ContentType?.MediaType);
        var received = Assert.Single(consumer.Batches);
        Assert.Equal(OtlpReceiverFixture.Proto(sent), OtlpReceiverFixture.Proto(received));
        Assert.Equal(6, received.SampleCount);
        Assert.Equal(6, receiver.Grpc.AcceptedSamples);
        Assert.Equal(1, receiver.Grpc.SuccessRequests);
        Assert.Equal(0, receiver.Http.SuccessRequests);
    }

    [Fact]
    public async Task An_export_without_samples_is_acknowledged_without_troubling_the_pipeline()
    {
        await using var fixture = new OtlpReceiverFixture();
        var consumer = new CapturingConsumer();
        var receiver = await fixture.StartAsync(consumer);

        var reply = await GrpcTestClient.ExportAsync(fixture.GrpcClient(), OtlpReceiverFixture.GrpcUri(receiver), []);

        Assert.Equal(GrpcStatusCode.OK, reply.Code);
        Assert.Equal(0, consumer.Calls);
    }

    [Fact]
    public async Task An_index_out_of_range_refuses_the_whole_request_and_says_which()
    {
        await using var fixture = new OtlpReceiverFixture();
        var consumer = new CapturingConsumer();
        var receiver = await fixture.StartAsync(consumer);
        var request = ModelToOtlp.ToRequest(TestBatches.Known());
        request.ResourceProfiles[1].ScopeProfiles[0].Profiles[0].Samples[0].StackIndex = 77;

        var reply = await GrpcTestClient.ExportAsync(fixture.GrpcClient(), OtlpReceiverFixture.GrpcUri(receiver), request.ToByteArray());

        Assert.Equal(GrpcStatusCode.InvalidArgument, reply.Code);
        Assert.True(reply.TrailersOnly);
        Assert.Contains("resourceProfiles[1].scopeProfiles[0].profiles[0].samples[0].stackIndex: 77 is out of range", reply.Message, StringComparison.Ordinal);
        Assert.Equal(0, consumer.Calls);
        Assert.Equal(6, receiver.Grpc.FailedSamples);
        Assert.Equal(1, receiver.Grpc.FailedRequests);
    }

    [Fact]
    public async Task A_missing_zero_value_is_invalid_but_orphans_and_duplicates_are_accepted()
    {
        await using var fixture = new OtlpReceiverFixture();
        var consumer = new CapturingConsumer();
        var receiver = await fixture.StartAsync(consumer);
        var client = fixture.GrpcClient();
        var uri = OtlpReceiverFixture.GrpcUri(receiver);
        var noZero = ModelToOtlp.ToRequest(TestBatches.Simple(2));
        noZero.Dictionary.StringTable[0] = "not empty";
        var untidy = ModelToOtlp.ToRequest(TestBatches.Simple(2));
        untidy.Dictionary.StringTable.Add("nobody refers to me");
        untidy.Dictionary.StringTable.Add(untidy.Dictionary.StringTable[1]);

        var refused = await GrpcTestClient.ExportAsync(client, uri, noZero.ToByteArray());
        var accepted = await GrpcTestClient.ExportAsync(client, uri, untidy.ToByteArray());

        Assert.Equal(GrpcStatusCode.InvalidArgument, refused.Code);
        Assert.Contains("dictionary.stringTable[0]: not the zero value", refused.Message, StringComparison.Ordinal);
        Assert.Equal(GrpcStatusCode.OK, accepted.Code);
        Assert.Equal(2, Assert.Single(consumer.Batches).SampleCount);
    }

    [Fact]
    public async Task Bytes_that_are_not_protobuf_are_an_invalid_argument()
    {
        await using var fixture = new OtlpReceiverFixture();
        var receiver = await fixture.StartAsync(new CapturingConsumer());

        var reply = await GrpcTestClient.ExportAsync(fixture.GrpcClient(), OtlpReceiverFixture.GrpcUri(receiver), [0x0A, 0xFF, 0xFF, 0xFF, 0x0F, 1]);

        Assert.Equal(GrpcStatusCode.InvalidArgument, reply.Code);
        Assert.StartsWith("the message is not a valid ExportProfilesServiceRequest", reply.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_message_over_max_recv_msg_size_mib_is_resource_exhausted()
    {
        await using var fixture = new OtlpReceiverFixture();
        var options = OtlpReceiverFixture.BothProtocols();
        options.Protocols.Grpc!.MaxRecvMsgSizeMib = 1;
        var receiver = await fixture.StartAsync(new CapturingConsumer(), options);
        var big = OtlpReceiverFixture.Proto(TestBatches.Big(1024 * 1024 + 1));

        var plain = await GrpcTestClient.ExportAsync(fixture.GrpcClient(), OtlpReceiverFixture.GrpcUri(receiver), big);
        var gzip = await GrpcTestClient.ExportAsync(fixture.GrpcClient(), OtlpReceiverFixture.GrpcUri(receiver), big, GrpcCompression.Gzip);

        Assert.Equal(GrpcStatusCode.ResourceExhausted, plain.Code);
        Assert.Contains("exceeds the maximum", plain.Message, StringComparison.Ordinal);
        Assert.Equal(GrpcStatusCode.ResourceExhausted, gzip.Code);
        Assert.Contains("after decompression", gzip.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_method_path_and_content_type_get_405_UNIMPLEMENTED_and_415()
    {
        await using var fixture = new OtlpReceiverFixture();
        var receiver = await fixture.StartAsync(new CapturingConsumer());
        var client = fixture.GrpcClient();
        var uri = OtlpReceiverFixture.GrpcUri(receiver);
        var frame = GrpcWire.Frame(OtlpReceiverFixture.Proto(TestBatches.Simple(1)), GrpcCompression.Identity);

        var get = await GrpcTestClient.SendAsync(client, uri, frame, method: HttpMethod.Put);
        var path = await GrpcTestClient.SendAsync(client, uri, frame, path: "/opentelemetry.proto.collector.trace.v1.TraceService/Export");
        var json = await GrpcTestClient.SendAsync(client, uri, frame, contentType: "application/grpc+json");
        var proto = await GrpcTestClient.SendAsync(client, uri, frame, contentType: "application/grpc+proto");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, get.Http);
        Assert.Equal(GrpcStatusCode.Unimplemented, path.Code);
        // Grpc.AspNetCore would take any application/grpc subtype as a call; GrpcAdmission keeps +json a 415, as before.
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, json.Http);
        Assert.Equal(GrpcStatusCode.OK, proto.Code);
        Assert.Equal(3, receiver.Grpc.FailedRequests);
    }

    [Fact]
    public async Task Framing_errors_get_the_status_the_grpc_spec_gives_them()
    {
        await using var fixture = new OtlpReceiverFixture();
        var receiver = await fixture.StartAsync(new CapturingConsumer());
        var client = fixture.GrpcClient();
        var uri = OtlpReceiverFixture.GrpcUri(receiver);
        var message = OtlpReceiverFixture.Proto(TestBatches.Simple(1));
        var compressed = GrpcWire.Frame(message, GrpcCompression.Gzip);

        var truncated = await GrpcTestClient.SendAsync(client, uri, GrpcWire.Frame(message, GrpcCompression.Identity)[..^3]);
        var noEncoding = await GrpcTestClient.SendAsync(client, uri, compressed);
        var unknownEncoding = await GrpcTestClient.SendAsync(client, uri, compressed, r => r.Headers.Add("grpc-encoding", "snappy"));
        var twoMessages = await GrpcTestClient.SendAsync(client, uri, [.. compressed, .. compressed], r => r.Headers.Add("grpc-encoding", "gzip"));
        var none = await GrpcTestClient.SendAsync(client, uri, []);

        Assert.Equal(GrpcStatusCode.Internal, truncated.Code);
        Assert.Contains("Incomplete message", truncated.Message, StringComparison.Ordinal);
        Assert.Equal(GrpcStatusCode.Internal, noEncoding.Code);
        Assert.Equal(GrpcStatusCode.Unimplemented, unknownEncoding.Code);
        Assert.Contains("gzip", unknownEncoding.Response.Headers.GetValues("grpc-accept-encoding").Single(), StringComparison.Ordinal);
        Assert.Equal(GrpcStatusCode.Internal, twoMessages.Code);
        Assert.Equal(GrpcStatusCode.Internal, none.Code);
    }

    [Fact]
    public async Task A_pipeline_saying_retry_later_gives_UNAVAILABLE_and_a_failing_one_INTERNAL()
    {
        await using var fixture = new OtlpReceiverFixture();
        var consumer = new CapturingConsumer
        {
            Behaviour = (call, _) => call == 1 ? throw new RetryableException("queue full") : throw new InvalidOperationException("disk on fire"),
        };
        var receiver = await fixture.StartAsync(consumer);
        var client = fixture.GrpcClient();
        var uri = OtlpReceiverFixture.GrpcUri(receiver);
        var message = OtlpReceiverFixture.Proto(TestBatches.Simple(3));

        var retryable = await GrpcTestClient.ExportAsync(client, uri, message);
        var permanent = await GrpcTestClient.ExportAsync(client, uri, message);

        Assert.Equal(GrpcStatusCode.Unavailable, retryable.Code);
        Assert.Contains("queue full", retryable.Message, StringComparison.Ordinal);
        Assert.Equal(GrpcStatusCode.Internal, permanent.Code);
        Assert.Contains("disk on fire", permanent.Message, StringComparison.Ordinal);
        Assert.Equal(6, receiver.Grpc.RefusedSamples);
        Assert.Equal(2, receiver.Grpc.RefusedRequests);
        Assert.Contains(fixture.Logs.Entries, e => e.Message.Contains("disk on fire", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_deadline_that_passes_while_the_pipeline_holds_the_request_is_DEADLINE_EXCEEDED()
    {
        await using var fixture = new OtlpReceiverFixture();
        var blocking = new CancellableConsumer();
        var receiver = await fixture.StartAsync(blocking);

        var reply = await GrpcTestClient.ExportAsync(fixture.GrpcClient(), OtlpReceiverFixture.GrpcUri(receiver), OtlpReceiverFixture.Proto(TestBatches.Simple(1)),
            configure: r => r.Headers.Add("grpc-timeout", "200m"));

        Assert.Equal(GrpcStatusCode.DeadlineExceeded, reply.Code);
        // Grpc.AspNetCore answers first, then cancels the call's token.
        for (var i = 0; i < 100 && !blocking.SawCancellation; i++) await Task.Delay(20);
        Assert.True(blocking.SawCancellation);
    }

    [Fact]
    public async Task Messages_with_characters_outside_ascii_arrive_intact()
    {
        await using var fixture = new OtlpReceiverFixture();
        var receiver = await fixture.StartAsync(new CapturingConsumer { Behaviour = (_, _) => throw new RetryableException("file «profiles» 100% full\nretry") });

        var reply = await GrpcTestClient.ExportAsync(fixture.GrpcClient(), OtlpReceiverFixture.GrpcUri(receiver), OtlpReceiverFixture.Proto(TestBatches.Simple(1)));

        Assert.EndsWith("file «profiles» 100% full\nretry", reply.Message, StringComparison.Ordinal);
        Assert.Contains("%C2%AB", reply.Response.Headers.GetValues("grpc-message").Single(), StringComparison.Ordinal);
    }

    /// <summary>Waits until cancelled, and remembers that it was.</summary>
    private sealed class CancellableConsumer : IProfilesConsumer
    {
        public bool SawCancellation { get; private set; }

        public bool MutatesData => false;

        public async ValueTask ConsumeAsync(ProfileBatch batch, CancellationToken cancellationToken)
        {
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                SawCancellation = true;
                throw;
            }
        }
    }
}
