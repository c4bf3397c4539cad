using Collector.Core.Model;
using Collector.Exporters.Sending;
using Collector.Exporters.Tests.Otlp.Support;
using Collector.Otlp;
using Collector.Protocol.Grpc;
using Google.Protobuf;

namespace Collector.Exporters.Tests.Otlp;

/// <summary>otlp_grpc against a Kestrel sink over h2c: what goes on the wire, and how each answer is treated.</summary>
public sealed class GrpcExporterTests : IAsyncLifetime
{
    private GrpcSink _sink = null!;

    public async ValueTask InitializeAsync() => _sink = await GrpcSink.StartAsync();

    public async ValueTask DisposeAsync() => await _sink.DisposeAsync();

    [Fact]
    public async Task Sends_each_batch_as_a_self_contained_gzipped_grpc_message_with_the_protocol_headers()
    {
        var exporter = TestExporters.Grpc(_sink.Endpoint, o => o.Headers["x-api-key"] = "secret");
        await exporter.StartAsync(new TestHost(), default);
        var batches = new[] { TestBatches.Known(), TestBatches.Simple(50) };
        foreach (var batch in batches) await exporter.ConsumeAsync(batch, default);
        await exporter.ShutdownAsync(default);

        var received = _sink.Received.OrderBy(r => r.Number).ToList();
        Assert.Equal(2, received.Count);
        // Queue consumers run concurrently: match by content, not arrival order.
        var expected = batches.Select(b => ModelToOtlp.ToRequest(b).ToByteArray()).ToList();
        foreach (var request in received)
        {
            Records.AssertSelfContained(request.Request);
            Assert.Contains(expected, e => e.AsSpan().SequenceEqual(request.Message));
            Assert.Equal(GrpcWire.ExportPath, request.Path);
            Assert.Equal("application/grpc", request.Header("content-type"));
            Assert.Equal("trailers", request.Header("te"));
            Assert.Equal("gzip", request.Header("grpc-encoding"));
            Assert.Contains("gzip", request.Header("grpc-accept-encoding"), StringComparison.Ordinal);
            Assert.Matches("^[0-9]{1,8}[HMSmun]$", request.Header("grpc-timeout"));
            Assert.Equal("secret", request.Header("x-api-key"));
            Assert.Equal(1, request.Wire[0]); // compressed flag
            Assert.Equal(request.Message, Records.Gunzip(request.Wire[5..]));
        }
        Assert.Equal(6 + 50, exporter.SentSamples);
        Assert.Equal(2, exporter.SentRequests);
        Assert.Equal(received.Sum(r => r.Wire.Length), exporter.RequestBytesSent);
        Assert.Equal(0, exporter.SendFailedSamples);
    }

    [Fact]
    public async Task Compression_none_sends_uncompressed_frames_without_grpc_encoding()
    {
        var exporter = TestExporters.Grpc(_sink.Endpoint, o => o.Compression = "none");
        await exporter.StartAsync(new TestHost(), default);
        await exporter.ConsumeAsync(TestBatches.Known(), default);
        await exporter.ShutdownAsync(default);

        var request = Assert.Single(_sink.Received);
        Assert.Null(request.Header("grpc-encoding"));
        Assert.Equal(0, request.Wire[0]);
        Assert.Equal(ModelToOtlp.ToRequest(TestBatches.Known()).ToByteArray(), request.Wire[5..]);
    }

    [Theory]
    [InlineData(GrpcStatusCode.Cancelled, true)]
    [InlineData(GrpcStatusCode.DeadlineExceeded, true)]
    [InlineData(GrpcStatusCode.Aborted, true)]
    [InlineData(GrpcStatusCode.OutOfRange, true)]
    [InlineData(GrpcStatusCode.Unavailable, true)]
    [InlineData(GrpcStatusCode.DataLoss, true)]
    [InlineData(GrpcStatusCode.ResourceExhausted, false)]
    [InlineData(GrpcStatusCode.Unknown, false)]
    [InlineData(GrpcStatusCode.InvalidArgument, false)]
    [InlineData(GrpcStatusCode.NotFound, false)]
    [InlineData(GrpcStatusCode.AlreadyExists, false)]
    [InlineData(GrpcStatusCode.PermissionDenied, false)]
    [InlineData(GrpcStatusCode.FailedPrecondition, false)]
    [InlineData(GrpcStatusCode.Unimplemented, false)]
    [InlineData(GrpcStatusCode.Internal, false)]
    [InlineData(GrpcStatusCode.Unauthenticated, false)]
    public async Task Retries_exactly_the_codes_OTLP_calls_retryable(GrpcStatusCode code, bool retryable)
    {
        _sink.Reply = r => r.Number == 1 ? GrpcReply.Status(code, "first call fails") : GrpcReply.Ok;
        var exporter = TestExporters.Grpc(_sink.Endpoint, o => o.SendingQueue.Enabled = false);
        await exporter.StartAsync(new TestHost(), default);

        var consume = exporter.ConsumeAsync(TestBatches.Known(), default).AsTask();
        if (retryable)
        {
            await consume;
            Assert.Equal(2, _sink.Calls);
            Assert.Equal(6, exporter.SentSamples);
        }
        else
        {
            var error = await Assert.ThrowsAsync<ExportFailedException>(() => consume);
            Assert.False(error.Retryable);
            Assert.Contains("first call fails", error.Message, StringComparison.Ordinal);
            Assert.Equal(1, _sink.Calls);
            Assert.Equal(6, exporter.SendFailedSamples);
        }
        await exporter.ShutdownAsync(default);
    }

    [Fact]
    public async Task Resource_exhausted_with_retry_info_is_retried_after_the_delay_the_server_asked_for()
    {
        _sink.Reply = r => r.Number == 1 ? GrpcReply.Status(GrpcStatusCode.ResourceExhausted) with { RetryDelay = TimeSpan.FromMilliseconds(700) } : GrpcReply.Ok;
        var exporter = TestExporters.Grpc(_sink.Endpoint, o => o.SendingQueue.Enabled = false);
        await exporter.StartAsync(new TestHost(), default);
        var started = DateTimeOffset.UtcNow;

        await exporter.ConsumeAsync(TestBatches.Known(), default);

        Assert.Equal(2, _sink.Calls);
        // The backoff alone would have waited at most 30 ms.
        Assert.True(_sink.Received[0].At - started >= TimeSpan.FromMilliseconds(650), $"retried after {_sink.Received[0].At - started}");
        await exporter.ShutdownAsync(default);
    }

    [Fact]
    public async Task A_status_in_the_headers_of_a_trailers_only_response_is_honoured()
    {
        _sink.Reply = r => r.Number == 1 ? GrpcReply.Status(GrpcStatusCode.Unavailable, "über-busy") with { TrailersOnly = true } : GrpcReply.Ok;
        var logs = new CapturingLoggerFactory();
        var exporter = TestExporters.Grpc(_sink.Endpoint, o => o.SendingQueue.Enabled = false, logs: logs);
        await exporter.StartAsync(new TestHost(), default);

        await exporter.ConsumeAsync(TestBatches.Known(), default);

        Assert.Equal(2, _sink.Calls);
        // grpc-message is percent-encoded UTF-8 on the wire and decoded for the log.
        Assert.Contains(logs.Entries, e => e.Message.Contains("UNAVAILABLE: über-busy", StringComparison.Ordinal));
        await exporter.ShutdownAsync(default);
    }

    [Fact]
    public async Task A_server_slower_than_the_timeout_is_a_deadline_exceeded_that_is_retried()
    {
        _sink.Reply = r => r.Number == 1 ? GrpcReply.Ok with { Delay = TimeSpan.FromSeconds(5) } : GrpcReply.Ok;
        var logs = new CapturingLoggerFactory();
        var exporter = TestExporters.Grpc(_sink.Endpoint, o =>
        {
            o.Timeout = TimeSpan.FromMilliseconds(300);
            o.SendingQueue.Enabled = false;
        }, logs: logs);
        await exporter.StartAsync(new TestHost(), default);

        await exporter.ConsumeAsync(TestBatches.Known(), default);

        Assert.Equal(2, _sink.Calls);
        Assert.Single(_sink.Received);
        // Grpc.Net.Client writes the deadline's remaining time, a little under the 300 ms timeout.
        Assert.Matches("^[0-9]{1,8}[HMSmun]$", _sink.Received[0].Header("grpc-timeout"));
        Assert.Contains(logs.Entries, e => e.Message.Contains("DEADLINE_EXCEEDED", StringComparison.Ordinal));
        await exporter.ShutdownAsync(default);
    }

    [Fact]
    public async Task Partial_success_is_counted_and_logged()
    {
        _sink.Reply = _ => GrpcReply.Ok with { RejectedProfiles = 2, PartialMessage = "two profiles had no samples" };
        var logs = new CapturingLoggerFactory();
        var exporter = TestExporters.Grpc(_sink.Endpoint, o => o.SendingQueue.Enabled = false, logs: logs);
        await exporter.StartAsync(new TestHost(), default);

        await exporter.ConsumeAsync(TestBatches.Known(), default);
        await exporter.ConsumeAsync(TestBatches.Known(), default);

        Assert.Equal(4, exporter.PartialSuccessRejected);
        Assert.Equal(12, exporter.SentSamples);
        // Rate-limited: the second one within the interval is held back.
        Assert.Single(logs.Entries, e => e.Message.Contains("two profiles had no samples", StringComparison.Ordinal));
        await exporter.ShutdownAsync(default);
    }

    [Fact]
    public async Task Retries_give_up_after_max_elapsed_time_and_count_the_samples_as_failed()
    {
        _sink.Reply = _ => GrpcReply.Status(GrpcStatusCode.Unavailable);
        var exporter = TestExporters.Grpc(_sink.Endpoint, o =>
        {
            o.SendingQueue.Enabled = false;
            o.RetryOnFailure.MaxElapsedTime = TimeSpan.FromMilliseconds(500);
        });
        await exporter.StartAsync(new TestHost(), default);

        var error = await Assert.ThrowsAsync<Core.Components.RetryableException>(() => exporter.ConsumeAsync(TestBatches.Known(), default).AsTask());

        Assert.Contains("UNAVAILABLE", error.Message, StringComparison.Ordinal);
        Assert.InRange(_sink.Calls, 3, 30);
        Assert.Equal(6, exporter.SendFailedSamples);
        await exporter.ShutdownAsync(default);
    }

    [Theory]
    [InlineData("http://")]
    [InlineData("dns:///")]
    public async Task Scheme_prefixes_are_stripped_from_the_endpoint(string prefix)
    {
        var exporter = TestExporters.Grpc(prefix + _sink.Endpoint, o => o.SendingQueue.Enabled = false);
        await exporter.StartAsync(new TestHost(), default);

        await exporter.ConsumeAsync(TestBatches.Known(), default);

        Assert.Single(_sink.Received);
        await exporter.ShutdownAsync(default);
    }

    [Fact]
    public async Task Without_tls_insecure_the_exporter_speaks_tls_and_an_h2c_server_refuses_it()
    {
        var exporter = TestExporters.Grpc(_sink.Endpoint, o =>
        {
            o.Tls.Insecure = false;
            o.SendingQueue.Enabled = false;
            o.RetryOnFailure.Enabled = false;
        });
        await exporter.StartAsync(new TestHost(), default);

        var error = await Assert.ThrowsAsync<Core.Components.RetryableException>(() => exporter.ConsumeAsync(TestBatches.Known(), default).AsTask());

        Assert.Contains("UNAVAILABLE", error.Message, StringComparison.Ordinal);
        Assert.Empty(_sink.Received);
        await exporter.ShutdownAsync(default);
    }
}
