using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

namespace Collector.Bench;

/// <summary>The streams pushing exports, with what the receiver answered.</summary>
internal sealed class Load(HttpClient http, Uri target, Payloads payloads)
{
    /// <summary>Long enough for any answer from a live collector; a request still open after it is counted as unanswered.</summary>
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(30);

    private static readonly MediaTypeHeaderValue GrpcContentType = new("application/grpc");

    private readonly Lock _gate = new();
    private readonly List<double> _latencies = [];
    private long _acceptedSamples;
    private long _unansweredSamples;
    private long _refused;

    /// <summary>Samples in requests the receiver acknowledged (grpc-status 0).</summary>
    public long AcceptedSamples => Interlocked.Read(ref _acceptedSamples);

    /// <summary>
    /// Samples in requests that got no answer at all (transport failure or <see cref="AnswerTimeout"/>): the
    /// collector may or may not have taken them, so they may or may not reach the sink.
    /// </summary>
    public long UnansweredSamples => Interlocked.Read(ref _unansweredSamples);

    public long RefusedRequests => Interlocked.Read(ref _refused);

    /// <summary>The status and message of the first refusal, to tell backpressure from a mistake.</summary>
    public string? FirstRefusal { get; private set; }

    public int AckCount
    {
        get { lock (_gate) return _latencies.Count; }
    }

    public List<double> LatenciesMs(int from, int to)
    {
        lock (_gate) return _latencies.Skip(from).Take(to - from).ToList();
    }

    /// <summary>
    /// Sends until <paramref name="stop"/> fires, then returns once the request in flight is answered. Stopping
    /// never cancels a request: a cancelled request may still have been taken and forwarded by the collector, and
    /// would then arrive at the sink without having been counted as acknowledged here.
    /// </summary>
    public async Task RunAsync(int stream, CancellationToken stop)
    {
        var sent = 0;
        while (!stop.IsCancellationRequested)
        {
            var body = payloads.Next(stream * 7919 + sent++);
            // gRPC's length-prefixed message: flag 1 (compressed), the length big-endian, the gzipped bytes.
            var frame = new byte[5 + body.Length];
            frame[0] = 1;
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(1), body.Length);
            body.CopyTo(frame, 5);
            using var request = new HttpRequestMessage(HttpMethod.Post, target)
            {
                Version = HttpVersion.Version20,
                VersionPolicy = HttpVersionPolicy.RequestVersionExact,
                Content = new ByteArrayContent(frame),
            };
            request.Content.Headers.ContentType = GrpcContentType;
            request.Headers.TryAddWithoutValidation("te", "trailers");
            request.Headers.TryAddWithoutValidation("grpc-encoding", "gzip");
            var started = Stopwatch.GetTimestamp();
            string? status;
            string? message;
            try
            {
                using var timeout = new CancellationTokenSource(AnswerTimeout);
                using var response = await http.SendAsync(request, timeout.Token);
                await response.Content.ReadAsByteArrayAsync(timeout.Token);
                status = Header(response, "grpc-status");
                message = Header(response, "grpc-message");
            }
            catch (Exception error) when (error is OperationCanceledException or HttpRequestException or IOException)
            {
                Interlocked.Add(ref _unansweredSamples, payloads.SamplesPerRequest);
                lock (_gate) FirstRefusal ??= "no answer: " + error.Message;
                continue;
            }
            if (status == "0")
            {
                Interlocked.Add(ref _acceptedSamples, payloads.SamplesPerRequest);
                lock (_gate) _latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            else
            {
                // Backpressure: the receiver asks us to come back later.
                Interlocked.Increment(ref _refused);
                lock (_gate) FirstRefusal ??= $"grpc-status {status ?? "missing"}: {Uri.UnescapeDataString(message ?? "")}";
                await Task.Delay(10, CancellationToken.None);
            }
        }
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.TrailingHeaders.TryGetValues(name, out var trailer) ? trailer.First()
        : response.Headers.TryGetValues(name, out var header) ? header.First() : null;
}
