using System.Globalization;
using System.Text;
using Collector.Core.Components;
using Collector.Exporters.Otlp;
using Collector.Exporters.Sending;
using Collector.Exporters.Tests.Otlp.Support;
using Collector.Otlp;
using Collector.Protocol.Grpc;
using Google.Protobuf;

namespace Collector.Exporters.Tests.Otlp;

/// <summary>otlp_http against a Kestrel sink: bodies, encodings, gzip, and the OTLP/HTTP status rules.</summary>
public sealed class HttpExporterTests : IAsyncLifetime
{
    private HttpSink _sink = null!;

    public async ValueTask InitializeAsync() => _sink = await HttpSink.StartAsync();

    public async ValueTask DisposeAsync() => await _sink.DisposeAsync();

    [Theory]
    [InlineData(OtlpHttpEncoding.Proto, "application/x-protobuf")]
    [InlineData(OtlpHttpEncoding.Json, "application/json")]
    public async Task Posts_gzipped_self_contained_exports_to_the_profiles_path(OtlpHttpEncoding encoding, string contentType)
    {
        var exporter = TestExporters.Http(_sink.BaseUrl, o =>
        {
            o.Encoding = encoding;
            o.Headers["authorization"] = "Bearer t0ken";
        });
        await exporter.StartAsync(new TestHost(), default);

        await exporter.ConsumeAsync(TestBatches.Known(), default);
        await exporter.ShutdownAsync(default);

        var request = Assert.Single(_sink.Received);
        Assert.Equal("/v1development/profiles", request.Path);
        Assert.Equal(contentType, request.Header("content-type"));
        Assert.Equal("gzip", request.Header("content-encoding"));
        Assert.Equal("Bearer t0ken", request.Header("authorization"));
        Assert.Equal(request.Message, Records.Gunzip(request.Wire));
        var expected = ModelToOtlp.ToRequest(TestBatches.Known());
        Assert.Equal(encoding == OtlpHttpEncoding.Json ? OtlpJson.Serialize(expected) : expected.ToByteArray(), request.Message);
        Records.AssertSelfContained(request.Request);
        Assert.Equal(request.Wire.Length, exporter.RequestBytesSent);
    }

    [Fact]
    public async Task Profiles_endpoint_replaces_the_derived_url_and_compression_none_sends_plain_bytes()
    {
        var exporter = TestExporters.Http(_sink.BaseUrl, o =>
        {
            o.ProfilesEndpoint = _sink.BaseUrl + "/custom/profiles";
            o.Compression = "none";
        });
        await exporter.StartAsync(new TestHost(), default);

        await exporter.ConsumeAsync(TestBatches.Known(), default);
        await exporter.ShutdownAsync(default);

        var request = Assert.Single(_sink.Received);
        Assert.Equal("/custom/profiles", request.Path);
        Assert.Null(request.Header("content-encoding"));
        Assert.Equal(ModelToOtlp.ToRequest(TestBatches.Known()).ToByteArray(), request.Wire);
    }

    [Theory]
    [InlineData(429, true)]
    [InlineData(502, true)]
    [InlineData(503, true)]
    [InlineData(504, true)]
    [InlineData(400, false)]
    [InlineData(401, false)]
    [InlineData(403, false)]
    [InlineData(404, false)]
    [InlineData(413, false)]
    [InlineData(500, false)]
    [InlineData(501, false)]
    public async Task Retries_429_502_503_504_and_nothing_else(int status, bool retryable)
    {
        _sink.Reply = r => r.Number == 1 ? HttpReply.WithStatus(status) : HttpReply.Ok;
        var exporter = TestExporters.Http(_sink.BaseUrl, o => o.SendingQueue.Enabled = false);
        await exporter.StartAsync(new TestHost(), default);

        var consume = exporter.ConsumeAsync(TestBatches.Known(), default).AsTask();
        if (retryable)
        {
            await consume;
            Assert.Equal(2, _sink.Calls);
        }
        else
        {
            var error = await Assert.ThrowsAsync<ExportFailedException>(() => consume);
            Assert.Contains($"HTTP {status}", error.Message, StringComparison.Ordinal);
            Assert.Equal(1, _sink.Calls);
        }
        await exporter.ShutdownAsync(default);
    }

    [Fact]
    public async Task Retry_after_in_seconds_sets_the_wait_before_the_next_attempt()
    {
        _sink.Reply = r => r.Number == 1 ? HttpReply.WithStatus(503, "1") : HttpReply.Ok;
        var exporter = TestExporters.Http(_sink.BaseUrl, o => o.SendingQueue.Enabled = false);
        await exporter.StartAsync(new TestHost(), default);
        var started = DateTimeOffset.UtcNow;

        await exporter.ConsumeAsync(TestBatches.Known(), default);

        var waited = _sink.Received[0].At - started;
        Assert.True(waited >= TimeSpan.FromMilliseconds(950), $"retried after {waited}, the backoff alone waits 30 ms at most");
        await exporter.ShutdownAsync(default);
    }

    [Fact]
    public async Task Retry_after_as_an_http_date_is_counted_from_now()
    {
        var time = new FixedNowTimeProvider(DateTimeOffset.Parse("2026-11-21T15:04:05Z", CultureInfo.InvariantCulture));
        _sink.Reply = r => r.Number == 1 ? HttpReply.WithStatus(429, "Sat, 21 Nov 2026 15:04:06 GMT") : HttpReply.Ok;
        var exporter = TestExporters.Http(_sink.BaseUrl, o => o.SendingQueue.Enabled = false, time: time);
        await exporter.StartAsync(new TestHost(), default);

        await exporter.ConsumeAsync(TestBatches.Known(), default);

        Assert.Contains(TimeSpan.FromSeconds(1), time.Delays);
        await exporter.ShutdownAsync(default);
    }

    [Fact]
    public async Task The_message_of_a_status_body_names_the_failure()
    {
        var status = new RpcStatus(GrpcStatusCode.InvalidArgument, "resourceProfiles[0]: stack index 9 out of range");
        _sink.Reply = _ => HttpReply.WithStatus(400) with { Body = status.ToProtobuf(), ContentType = "application/x-protobuf" };
        var logs = new CapturingLoggerFactory();
        var exporter = TestExporters.Http(_sink.BaseUrl, logs: logs);
        await exporter.StartAsync(new TestHost(), default);

        await exporter.ConsumeAsync(TestBatches.Known(), default);
        await exporter.ShutdownAsync(default);

        Assert.Equal(6, exporter.SendFailedSamples);
        Assert.Contains(logs.Entries, e => e.Message.Contains("HTTP 400 Bad Request: resourceProfiles[0]: stack index 9 out of range", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(OtlpHttpEncoding.Proto)]
    [InlineData(OtlpHttpEncoding.Json)]
    public async Task Partial_success_in_either_encoding_is_counted(OtlpHttpEncoding encoding)
    {
        _sink.Reply = _ => HttpReply.Ok with { RejectedProfiles = 3, PartialMessage = "3 rejected" };
        var exporter = TestExporters.Http(_sink.BaseUrl, o => o.Encoding = encoding);
        await exporter.StartAsync(new TestHost(), default);

        await exporter.ConsumeAsync(TestBatches.Known(), default);
        await exporter.ShutdownAsync(default);

        Assert.Equal(3, exporter.PartialSuccessRejected);
        Assert.Equal(6, exporter.SentSamples);
    }

    [Fact]
    public async Task A_refused_connection_is_retried_until_the_server_is_there()
    {
        var port = FreePort.Next();
        var exporter = TestExporters.Http($"http://127.0.0.1:{port}", o => o.SendingQueue.Enabled = false);
        await exporter.StartAsync(new TestHost(), default);

        var consume = exporter.ConsumeAsync(TestBatches.Known(), default).AsTask();
        await Task.Delay(300);
        Assert.False(consume.IsCompleted);
        await using var late = await HttpSink.StartAsync(port);
        await consume;

        Assert.Single(late.Received);
        await exporter.ShutdownAsync(default);
    }

    [Fact]
    public void A_json_error_page_from_a_proxy_is_not_mistaken_for_success()
    {
        Assert.Equal(0, PartialSuccess.FromJson("<html>"u8).RejectedProfiles);
        Assert.Equal(new ExportResponse(7, "x"), PartialSuccess.FromJson(Encoding.UTF8.GetBytes("""{"partialSuccess":{"rejectedProfiles":"7","errorMessage":"x"}}""")));
        Assert.Equal(new ExportResponse(7, ""), PartialSuccess.FromJson(Encoding.UTF8.GetBytes("""{"partialSuccess":{"rejectedProfiles":7}}""")));
    }

    /// <summary>A clock whose "now" stands still; records the delays asked of it and lets them pass at once.</summary>
    private sealed class FixedNowTimeProvider(DateTimeOffset now) : TimeProvider
    {
        public List<TimeSpan> Delays { get; } = [];

        public override DateTimeOffset GetUtcNow() => now;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            // Per-attempt timeouts are long; backoff waits are what the test looks at, and they pass at once.
            if (dueTime < TimeSpan.FromSeconds(10))
            {
                lock (Delays) Delays.Add(dueTime);
                dueTime = TimeSpan.Zero;
            }
            return System.CreateTimer(callback, state, dueTime, period);
        }
    }
}
