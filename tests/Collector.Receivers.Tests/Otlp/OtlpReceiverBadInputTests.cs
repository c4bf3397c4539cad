using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Collector.Otlp;
using Collector.Protocol.Grpc;
using Collector.Receivers.Otlp;
using Collector.Receivers.Tests.Support;
using Google.Protobuf;

namespace Collector.Receivers.Tests.Otlp;

/// <summary>
/// A thousand requests that are malformed, truncated, oversized or wrongly framed, mixed over both protocols
/// and sent eight at a time, with valid requests among them. Each must get its own status, the valid ones must
/// all arrive, and memory must not grow with what was thrown at the receiver.
/// </summary>
public class OtlpReceiverBadInputTests(ITestOutputHelper output)
{
    private const int BadRequests = 1000;
    private const int ValidEvery = 25;
    private const int MaxGrpcMessage = 1024 * 1024;
    private const int MaxHttpBody = 256 * 1024;

    [Fact]
    public async Task Every_bad_request_gets_its_status_valid_ones_keep_flowing_and_memory_stays_bounded()
    {
        // Logs are not kept: eight thousand captured lines would blur the memory figure.
        await using var fixture = new OtlpReceiverFixture(captureLogs: false);
        var consumer = new CountingConsumer();
        var options = OtlpReceiverFixture.BothProtocols();
        options.Protocols.Grpc!.MaxRecvMsgSizeMib = 1;
        options.Protocols.Http!.MaxRequestBodySize = MaxHttpBody;
        var receiver = await fixture.StartAsync(consumer, options);
        var grpc = fixture.GrpcClient();
        var http = fixture.HttpClient();
        var cases = Cases(receiver, grpc, http);
        var random = new Random(20261121);
        var schedule = Enumerable.Range(0, BadRequests).Select(_ => cases[random.Next(cases.Count)]).ToList();
        var valid = Valid(receiver, grpc, http);

        // Warm up (JIT, connection pools, Kestrel buffers) before taking the memory baseline.
        foreach (var request in cases.Concat(valid)) await request.SendAndCheckAsync();
        var baseline = ManagedMemory();
        var sentSamples = consumer.Samples;
        var validSent = 0;
        var stopwatch = Stopwatch.StartNew();
        // Two halves: the first may fill the array pool and Kestrel's memory pool to their working size, the
        // second must then not grow them further.
        var afterHalf = 0L;
        foreach (var half in schedule.Chunk(schedule.Count / 2))
        {
            (var samples, var count) = await SendAsync(half, valid, validSent);
            sentSamples += samples;
            validSent += count;
            if (afterHalf == 0) afterHalf = ManagedMemory();
        }
        stopwatch.Stop();
        var after = ManagedMemory();

        output.WriteLine($"{schedule.Count} bad and {validSent} valid requests in {stopwatch.Elapsed.TotalSeconds:F2} s " +
            $"({(schedule.Count + validSent) / stopwatch.Elapsed.TotalSeconds:F0} requests/s, 8 at a time); managed memory " +
            $"{Mib(baseline)} MiB before, {Mib(afterHalf)} MiB after half, {Mib(after)} MiB after all");
        foreach (var group in schedule.GroupBy(c => c.Name).OrderBy(g => g.Key, StringComparer.Ordinal)) output.WriteLine($"  {group.Count(),4} × {group.Key}");
        Assert.Equal(sentSamples, consumer.Samples);
        // Eight bodies of a few MiB in flight, and the pools that recycle them, are a bounded working set;
        // a leak of even one buffer per bad request would show in the second half.
        Assert.True(after - baseline < 64L * 1024 * 1024, $"managed memory grew from {baseline} to {after} bytes");
        Assert.True(after - afterHalf < 8L * 1024 * 1024, $"managed memory kept growing in the second half: {afterHalf} to {after} bytes");
        Assert.True(schedule.Select(c => c.Name).Distinct().Count() == cases.Count, "every kind of bad request was sent");
    }

    /// <summary>Sends the bad requests eight at a time, and a valid one after every <see cref="ValidEvery"/>.</summary>
    private static async Task<(long Samples, int Count)> SendAsync(IReadOnlyList<TestRequest> bad, List<TestRequest> valid, int validSent)
    {
        var samples = 0L;
        var count = 0;
        using var gate = new SemaphoreSlim(8);
        var tasks = new List<Task>();
        for (var i = 0; i < bad.Count; i++)
        {
            var request = bad[i];
            await gate.WaitAsync();
            tasks.Add(Task.Run(async () =>
            {
                try
                {
                    await request.SendAndCheckAsync();
                }
                finally
                {
                    gate.Release();
                }
            }));
            if (i % ValidEvery == 0)
            {
                var check = valid[(validSent + count++) % valid.Count];
                await check.SendAndCheckAsync();
                samples += check.Samples;
            }
        }
        await Task.WhenAll(tasks);
        return (samples, count);
    }

    private static long Mib(long bytes) => bytes / 1024 / 1024;

    private static long ManagedMemory()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static List<TestRequest> Cases(OtlpReceiver receiver, HttpClient grpc, HttpClient http)
    {
        var grpcUri = OtlpReceiverFixture.GrpcUri(receiver);
        var httpUri = OtlpReceiverFixture.HttpUri(receiver);
        var batch = TestBatches.Known();
        var proto = OtlpReceiverFixture.Proto(batch);
        var json = OtlpReceiverFixture.Json(batch);
        var outOfRange = ModelToOtlp.ToRequest(batch);
        outOfRange.Dictionary.LocationTable[2].Lines[0].FunctionIndex = 1000;
        var bomb = OtlpHttpReceiverTests.Gzip(new byte[4 * MaxGrpcMessage]);
        var gzipped = OtlpHttpReceiverTests.Gzip(proto);
        var frame = GrpcWire.Frame(proto, GrpcCompression.Identity);
        var compressedFrame = GrpcWire.Frame(proto, GrpcCompression.Gzip);
        var bombFrame = Frame(1, bomb);
        var hugePrefix = Frame(0, new byte[100]);
        GrpcWire.WriteHeader(hugePrefix, compressed: false, 512 * 1024 * 1024);
        var badFlag = (byte[])frame.Clone();
        badFlag[0] = 7;
        var tooBig = OtlpReceiverFixture.Proto(TestBatches.Big(MaxGrpcMessage));
        var tooBigBody = OtlpReceiverFixture.Proto(TestBatches.Big(MaxHttpBody));
        var cut = new Random(5);
        byte[] Cut(byte[] bytes) => bytes[..cut.Next(1, bytes.Length - 1)];
        // A changed byte inside a string is just other data; a tag with field 0 or wire type 6 or 7 is never valid.
        byte[] BadTag(byte[] bytes) => [(byte)(new byte[] { 0x00, 0x0E, 0x0F, 0x16 })[cut.Next(4)], .. bytes];

        TestRequest Grpc(string name, Func<byte[]> body, GrpcStatusCode expected, string? encoding = null, string path = GrpcWire.ExportPath, string contentType = "application/grpc") =>
            new(name, 0, async () =>
            {
                var reply = await GrpcTestClient.SendAsync(grpc, grpcUri, body(), r =>
                {
                    if (encoding is not null) r.Headers.Add("grpc-encoding", encoding);
                }, path, contentType: contentType);
                Assert.True(expected == reply.Code, $"{name}: expected {expected}, got {reply.Code} (HTTP {(int)reply.Http}) {reply.Message}");
            });
        TestRequest GrpcHttpStatus(string name, Func<byte[]> body, HttpStatusCode expected, string contentType) =>
            new(name, 0, async () =>
            {
                var reply = await GrpcTestClient.SendAsync(grpc, grpcUri, body(), contentType: contentType);
                Assert.True(expected == reply.Http, $"{name}: expected HTTP {expected}, got {reply.Http}");
            });
        TestRequest Http(string name, Func<byte[]> body, HttpStatusCode expected, string contentType = "application/x-protobuf", string? encoding = null, HttpMethod? method = null) =>
            new(name, 0, async () =>
            {
                using var request = new HttpRequestMessage(method ?? HttpMethod.Post, httpUri) { Content = new ByteArrayContent(body()) };
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
                if (encoding is not null) request.Content.Headers.ContentEncoding.Add(encoding);
                using var response = await http.SendAsync(request);
                Assert.True(expected == response.StatusCode, $"{name}: expected HTTP {expected}, got {response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            });

        return
        [
            Grpc("grpc: frame cut short", () => Cut(frame), GrpcStatusCode.Internal),
            // Grpc.AspNetCore answers a compressed flag other than 0 or 1 with UNKNOWN: as permanent as INTERNAL.
            Grpc("grpc: no frame, raw protobuf (0x0A reads as flag 10)", () => proto, GrpcStatusCode.Unknown),
            Grpc("grpc: length prefix of 512 MiB", () => hugePrefix, GrpcStatusCode.ResourceExhausted),
            Grpc("grpc: message over the limit", () => GrpcWire.Frame(tooBig, GrpcCompression.Identity), GrpcStatusCode.ResourceExhausted),
            Grpc("grpc: gzip bomb", () => bombFrame, GrpcStatusCode.ResourceExhausted, "gzip"),
            Grpc("grpc: gzip cut short", () => Frame(1, Cut(gzipped)), GrpcStatusCode.Internal, "gzip"),
            Grpc("grpc: compressed without grpc-encoding", () => compressedFrame, GrpcStatusCode.Internal),
            Grpc("grpc: compressed with unknown encoding", () => compressedFrame, GrpcStatusCode.Unimplemented, "br"),
            Grpc("grpc: compressed flag 7", () => badFlag, GrpcStatusCode.Unknown),
            Grpc("grpc: two messages", () => [.. frame, .. frame], GrpcStatusCode.Internal),
            Grpc("grpc: protobuf cut short", () => GrpcWire.Frame(Cut(proto), GrpcCompression.Identity), GrpcStatusCode.InvalidArgument),
            Grpc("grpc: protobuf with an impossible tag", () => GrpcWire.Frame(BadTag(proto), GrpcCompression.Identity), GrpcStatusCode.InvalidArgument),
            Grpc("grpc: index out of range", () => GrpcWire.Frame(outOfRange.ToByteArray(), GrpcCompression.Identity), GrpcStatusCode.InvalidArgument),
            Grpc("grpc: unknown method", () => frame, GrpcStatusCode.Unimplemented, path: "/opentelemetry.proto.collector.logs.v1.LogsService/Export"),
            GrpcHttpStatus("grpc: content type json", () => frame, HttpStatusCode.UnsupportedMediaType, "application/json"),
            Http("http: protobuf cut short", () => Cut(proto), HttpStatusCode.BadRequest),
            Http("http: protobuf with an impossible tag", () => BadTag(proto), HttpStatusCode.BadRequest),
            Http("http: JSON cut short", () => Cut(json), HttpStatusCode.BadRequest, "application/json"),
            Http("http: JSON that is not OTLP", () => Encoding.UTF8.GetBytes("{\"resourceProfiles\": 42}"), HttpStatusCode.BadRequest, "application/json"),
            Http("http: index out of range", () => OtlpJson.Serialize(outOfRange), HttpStatusCode.BadRequest, "application/json"),
            Http("http: body over the limit", () => tooBigBody, HttpStatusCode.RequestEntityTooLarge),
            Http("http: gzip bomb", () => bomb, HttpStatusCode.RequestEntityTooLarge, encoding: "gzip"),
            Http("http: gzip cut short", () => Cut(gzipped), HttpStatusCode.BadRequest, encoding: "gzip"),
            Http("http: not gzip at all", () => proto, HttpStatusCode.BadRequest, encoding: "gzip"),
            Http("http: content type text", () => proto, HttpStatusCode.UnsupportedMediaType, "text/plain"),
            Http("http: method PUT", () => proto, HttpStatusCode.MethodNotAllowed, method: HttpMethod.Put),
        ];
    }

    private static List<TestRequest> Valid(OtlpReceiver receiver, HttpClient grpc, HttpClient http)
    {
        var batch = TestBatches.Simple(5);
        var proto = OtlpReceiverFixture.Proto(batch);
        return
        [
            new("valid grpc", 5, async () =>
                Assert.Equal(GrpcStatusCode.OK, (await GrpcTestClient.ExportAsync(grpc, OtlpReceiverFixture.GrpcUri(receiver), proto, GrpcCompression.Gzip)).Code)),
            new("valid http", 5, async () =>
            {
                using var content = new ByteArrayContent(OtlpReceiverFixture.Json(batch));
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = await http.PostAsync(OtlpReceiverFixture.HttpUri(receiver), content);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }),
        ];
    }

    private static byte[] Frame(byte flag, byte[] payload)
    {
        var frame = new byte[GrpcWire.HeaderSize + payload.Length];
        GrpcWire.WriteHeader(frame, flag == 1, payload.Length);
        frame[0] = flag;
        payload.CopyTo(frame, GrpcWire.HeaderSize);
        return frame;
    }

    private sealed record TestRequest(string Name, int Samples, Func<Task> SendAndCheckAsync);

    /// <summary>Counts instead of keeping batches, so what the test holds does not blur the memory figure.</summary>
    private sealed class CountingConsumer : Collector.Core.Components.IProfilesConsumer
    {
        private long _samples;

        public long Samples => Interlocked.Read(ref _samples);

        public bool MutatesData => false;

        public ValueTask ConsumeAsync(Collector.Core.Model.ProfileBatch batch, CancellationToken cancellationToken)
        {
            Interlocked.Add(ref _samples, batch.SampleCount);
            return ValueTask.CompletedTask;
        }
    }
}
