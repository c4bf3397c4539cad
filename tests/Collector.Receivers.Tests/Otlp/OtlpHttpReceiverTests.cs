using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Collector.Core.Components;
using Collector.Otlp;
using Collector.Protocol.Grpc;
using Collector.Receivers.Tests.Support;
using Google.Protobuf;

namespace Collector.Receivers.Tests.Otlp;

public class OtlpHttpReceiverTests
{
    [Theory]
    [InlineData("application/x-protobuf", false)]
    [InlineData("application/x-protobuf", true)]
    [InlineData("application/json", false)]
    [InlineData("application/json; charset=utf-8", true)]
    public async Task An_export_is_answered_in_its_own_encoding_after_the_pipeline_took_it(string contentType, bool gzip)
    {
        await using var fixture = new OtlpReceiverFixture();
        var consumer = new CapturingConsumer();
        var receiver = await fixture.StartAsync(consumer);
        var sent = TestBatches.Known();
        var json = contentType.StartsWith("application/json", StringComparison.Ordinal);
        var body = json ? OtlpReceiverFixture.Json(sent) : OtlpReceiverFixture.Proto(sent);

        using var response = await PostAsync(fixture, receiver, gzip ? Gzip(body) : body, contentType, gzip ? "gzip" : null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(json ? "application/json" : "application/x-protobuf", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(json ? "{}" : "", await response.Content.ReadAsStringAsync());
        Assert.Equal(OtlpReceiverFixture.Proto(sent), OtlpReceiverFixture.Proto(Assert.Single(consumer.Batches)));
        Assert.Equal(6, receiver.Http.AcceptedSamples);
        Assert.Equal(1, receiver.Http.SuccessRequests);
    }

    [Fact]
    public async Task Wrong_path_method_content_type_and_content_encoding_get_404_405_and_415()
    {
        await using var fixture = new OtlpReceiverFixture();
        var receiver = await fixture.StartAsync(new CapturingConsumer());
        var client = fixture.HttpClient();
        var uri = OtlpReceiverFixture.HttpUri(receiver);
        var body = OtlpReceiverFixture.Proto(TestBatches.Simple(1));

        using var path = await client.PostAsync(new Uri(uri, "/v1/profiles"), Content(body, "application/x-protobuf"));
        using var get = await client.GetAsync(uri);
        using var xml = await client.PostAsync(uri, Content(body, "application/xml"));
        using var noType = await client.PostAsync(uri, new ByteArrayContent(body));
        using var zstd = await PostAsync(fixture, receiver, body, "application/x-protobuf", "zstd");

        Assert.Equal(HttpStatusCode.NotFound, path.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, get.StatusCode);
        Assert.Equal("POST", get.Content.Headers.Allow.Single());
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, xml.StatusCode);
        Assert.Equal("text/plain", xml.Content.Headers.ContentType?.MediaType);
        Assert.Contains("application/x-protobuf", await xml.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, noType.StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, zstd.StatusCode);
        Assert.Equal(5, receiver.Http.FailedRequests);
    }

    [Theory]
    [InlineData("application/x-protobuf")]
    [InlineData("application/json")]
    public async Task Malformed_and_invalid_bodies_are_400_with_a_status_in_the_request_encoding(string contentType)
    {
        await using var fixture = new OtlpReceiverFixture();
        var consumer = new CapturingConsumer();
        var receiver = await fixture.StartAsync(consumer);
        var json = contentType == "application/json";
        var invalid = ModelToOtlp.ToRequest(TestBatches.Known());
        invalid.Dictionary.StackTable[1].LocationIndices[0] = 99;
        var malformedBody = json ? Encoding.UTF8.GetBytes("{\"resourceProfiles\": [") : [0x0A, 0xFF, 0xFF, 0xFF, 0x0F, 1];

        using var malformed = await PostAsync(fixture, receiver, malformedBody, contentType);
        using var outOfRange = await PostAsync(fixture, receiver, json ? OtlpJson.Serialize(invalid) : invalid.ToByteArray(), contentType);
        var valid = json ? OtlpReceiverFixture.Json(TestBatches.Known()) : OtlpReceiverFixture.Proto(TestBatches.Known());
        var compressed = Gzip(valid);
        using var badGzip = await PostAsync(fixture, receiver, compressed[..(compressed.Length * 2 / 3)], contentType, "gzip");

        foreach (var response in new[] { malformed, outOfRange, badGzip })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal(contentType, response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(GrpcStatusCode.InvalidArgument, (await StatusOf(response)).Code);
        }
        Assert.Contains("dictionary.stackTable[1].locationIndices[0]: 99 is out of range", (await StatusOf(outOfRange)).Message, StringComparison.Ordinal);
        Assert.Contains("gzip", (await StatusOf(badGzip)).Message, StringComparison.Ordinal);
        Assert.Equal(0, consumer.Calls);
        Assert.Equal(6, receiver.Http.FailedSamples);
    }

    [Fact]
    public async Task Bodies_over_max_request_body_size_are_413_before_or_after_decompression()
    {
        await using var fixture = new OtlpReceiverFixture();
        var options = OtlpReceiverFixture.BothProtocols();
        options.Protocols.Http!.MaxRequestBodySize = 64 * 1024;
        var consumer = new CapturingConsumer();
        var receiver = await fixture.StartAsync(consumer, options);
        var big = OtlpReceiverFixture.Proto(TestBatches.Big(64 * 1024));
        var fits = OtlpReceiverFixture.Proto(TestBatches.Big(60 * 1024));

        using var announced = await PostAsync(fixture, receiver, big, "application/x-protobuf");
        using var chunked = await PostAsync(fixture, receiver, big, "application/x-protobuf", chunked: true);
        using var bomb = await PostAsync(fixture, receiver, Gzip(big), "application/x-protobuf", "gzip");
        using var ok = await PostAsync(fixture, receiver, fits, "application/x-protobuf");

        foreach (var response in new[] { announced, chunked, bomb })
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            Assert.Equal(GrpcStatusCode.ResourceExhausted, (await StatusOf(response)).Code);
        }
        Assert.Contains("65536 bytes", (await StatusOf(announced)).Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Single(consumer.Batches);
    }

    [Fact]
    public async Task A_pipeline_saying_retry_later_gives_503_with_Retry_After_and_a_failing_one_500()
    {
        await using var fixture = new OtlpReceiverFixture();
        var consumer = new CapturingConsumer
        {
            Behaviour = (call, _) => call == 1 ? throw new RetryableException("memory limit") : throw new InvalidOperationException("broken"),
        };
        var receiver = await fixture.StartAsync(consumer);
        var body = OtlpReceiverFixture.Json(TestBatches.Simple(2));

        using var retryable = await PostAsync(fixture, receiver, body, "application/json");
        using var permanent = await PostAsync(fixture, receiver, body, "application/json");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, retryable.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), retryable.Headers.RetryAfter?.Delta);
        var status = await StatusOf(retryable);
        Assert.Equal(GrpcStatusCode.Unavailable, status.Code);
        Assert.Contains("memory limit", status.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.InternalServerError, permanent.StatusCode);
        Assert.Null(permanent.Headers.RetryAfter);
        Assert.Equal(GrpcStatusCode.Internal, (await StatusOf(permanent)).Code);
        Assert.Equal(4, receiver.Http.RefusedSamples);
    }

    [Fact]
    public async Task A_body_shorter_than_its_content_length_is_a_400_or_a_dropped_connection_but_never_data()
    {
        await using var fixture = new OtlpReceiverFixture();
        var consumer = new CapturingConsumer();
        var receiver = await fixture.StartAsync(consumer);
        var endpoint = receiver.HttpEndpoints[0];
        var body = OtlpReceiverFixture.Proto(TestBatches.Simple(1));

        // HttpClient refuses to send a lying Content-Length, so this one is written by hand.
        using var socket = new System.Net.Sockets.TcpClient();
        await socket.ConnectAsync(endpoint);
        var stream = socket.GetStream();
        var head = $"POST /v1development/profiles HTTP/1.1\r\nHost: {endpoint}\r\nContent-Type: application/x-protobuf\r\nContent-Length: {body.Length + 10}\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        await stream.WriteAsync(body);
        socket.Client.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        var answer = await ReadUntilClosedAsync(stream);

        Assert.True(answer.Length == 0 || answer.StartsWith("HTTP/1.1 400", StringComparison.Ordinal), answer);
        await Eventually.TrueAsync(() => receiver.Http.FailedRequests == 1, "the request counts as failed");
        Assert.Equal(0, consumer.Calls);
    }

    /// <summary>What the server wrote before it closed or reset the connection.</summary>
    private static async Task<string> ReadUntilClosedAsync(Stream stream)
    {
        var received = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer)) > 0) received.Write(buffer, 0, read);
        }
        catch (IOException)
        {
            // Kestrel may reset a connection whose request it gave up on; what arrived before still counts.
        }
        return Encoding.ASCII.GetString(received.ToArray());
    }

    internal static async Task<HttpResponseMessage> PostAsync(OtlpReceiverFixture fixture, Collector.Receivers.Otlp.OtlpReceiver receiver, byte[] body, string contentType,
        string? contentEncoding = null, bool chunked = false, HttpClient? client = null, string scheme = "http")
    {
        client ??= fixture.HttpClient();
        HttpContent content = chunked ? new StreamContent(new MemoryStream(body)) : new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (contentEncoding is not null) content.Headers.ContentEncoding.Add(contentEncoding);
        using var request = new HttpRequestMessage(HttpMethod.Post, OtlpReceiverFixture.HttpUri(receiver, scheme))
        {
            Content = content,
            Version = client.DefaultRequestVersion,
        };
        if (chunked) request.Headers.TransferEncodingChunked = true;
        return await client.SendAsync(request);
    }

    internal static async Task<RpcStatus> StatusOf(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsByteArrayAsync();
        return response.Content.Headers.ContentType?.MediaType == "application/json" ? RpcStatus.ParseJson(body) : RpcStatus.ParseProtobuf(body);
    }

    internal static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest)) gzip.Write(bytes);
        return output.ToArray();
    }

    private static ByteArrayContent Content(byte[] body, string contentType)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return content;
    }
}
