using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Collector.Core.Grpc;

namespace Collector.Bench;

/// <summary>The streams pushing exports, with what the receiver answered.</summary>
internal sealed class Load(HttpClient http, Uri target, Payloads payloads)
{
    private static readonly MediaTypeHeaderValue GrpcContentType = new(GrpcProtocol.ContentType);

    private readonly Lock _gate = new();
    private readonly List<double> _latencies = [];
    private long _acceptedSamples;
    private long _refused;

    public long AcceptedSamples => Interlocked.Read(ref _acceptedSamples);

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

    public async Task RunAsync(int stream, CancellationToken stop)
    {
        var sent = 0;
        while (!stop.IsCancellationRequested)
        {
            var body = payloads.Next(stream * 7919 + sent++);
            var frame = new byte[GrpcFrame.HeaderSize + body.Length];
            GrpcFrame.WriteHeader(frame, compressed: true, body.Length);
            body.CopyTo(frame, GrpcFrame.HeaderSize);
            using var request = new HttpRequestMessage(HttpMethod.Post, target)
            {
                Version = HttpVersion.Version20,
                VersionPolicy = HttpVersionPolicy.RequestVersionExact,
                Content = new ByteArrayContent(frame),
            };
            request.Content.Headers.ContentType = GrpcContentType;
            request.Headers.TryAddWithoutValidation(GrpcProtocol.TeHeader, GrpcProtocol.TeTrailers);
            request.Headers.TryAddWithoutValidation(GrpcProtocol.EncodingHeader, "gzip");
            var started = Stopwatch.GetTimestamp();
            string? status;
            try
            {
                using var response = await http.SendAsync(request, stop);
                await response.Content.ReadAsByteArrayAsync(stop);
                status = response.TrailingHeaders.TryGetValues(GrpcProtocol.StatusHeader, out var t) ? t.First()
                    : response.Headers.TryGetValues(GrpcProtocol.StatusHeader, out var h) ? h.First() : null;
            }
            catch (OperationCanceledException)
            {
                return;
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
                await Task.Delay(10, CancellationToken.None);
            }
        }
    }
}
