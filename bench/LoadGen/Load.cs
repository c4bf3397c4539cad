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
    private long _refusedByMemory;
    private long _refusedByQueue;
    private long _refusedByConcurrency;
    private long _refusedNotRetryable;
    private long _sent;
    private long _skipped;

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

    /// <summary>What happened to the first request that got no answer.</summary>
    public string? FirstUnanswered { get; private set; }

    public int AckCount
    {
        get { lock (_gate) return _latencies.Count; }
    }

    public List<double> LatenciesMs(int from, int to)
    {
        lock (_gate) return _latencies.Skip(from).Take(to - from).ToList();
    }

    /// <summary>Requests refused with "data refused due to high memory usage" (the memory_limiter).</summary>
    public long RefusedByMemoryLimiter => Interlocked.Read(ref _refusedByMemory);

    /// <summary>Requests refused because the exporter's sending queue was full.</summary>
    public long RefusedByFullQueue => Interlocked.Read(ref _refusedByQueue);

    /// <summary>Requests refused at once because max_concurrent_requests were in progress.</summary>
    public long RefusedByConcurrencyLimit => Interlocked.Read(ref _refusedByConcurrency);

    /// <summary>Refusals whose status was not UNAVAILABLE (not retryable): should stay 0.</summary>
    public long RefusedNotRetryable => Interlocked.Read(ref _refusedNotRetryable);

    /// <summary>Requests sent (open loop: those the pacer started).</summary>
    public long SentRequests => Interlocked.Read(ref _sent);

    /// <summary>Open loop: requests not sent because --concurrency requests were already waiting for an answer.</summary>
    public long SkippedRequests => Interlocked.Read(ref _skipped);

    /// <summary>
    /// Closed loop: sends until <paramref name="stop"/> fires, then returns once the request in flight is answered.
    /// Stopping never cancels a request: a cancelled request may still have been taken and forwarded by the
    /// collector, and would then arrive at the sink without having been counted as acknowledged here.
    /// </summary>
    public async Task RunAsync(int stream, CancellationToken stop)
    {
        var sent = 0;
        while (!stop.IsCancellationRequested)
        {
            if (!await SendAsync(stream * 7919 + sent++))
            {
                // Backpressure: the receiver asks us to come back later.
                await Task.Delay(10, CancellationToken.None);
            }
        }
    }

    /// <summary>
    /// Open loop: starts requests at <paramref name="samplesPerSecond"/> whatever the answers, as many independent
    /// senders would; a refused request is not sent again (the next one is new data). At most
    /// <paramref name="maxInFlight"/> wait for an answer; a request due beyond that is skipped and counted. Returns
    /// once every request started is answered.
    /// </summary>
    public async Task RunOpenLoopAsync(long samplesPerSecond, int maxInFlight, CancellationToken stop)
    {
        var requestsPerSecond = (double)samplesPerSecond / payloads.SamplesPerRequest;
        var inFlight = new List<Task>();
        var started = Stopwatch.GetTimestamp();
        long due = 0;
        while (!stop.IsCancellationRequested)
        {
            var shouldHaveStarted = (long)(Stopwatch.GetElapsedTime(started).TotalSeconds * requestsPerSecond);
            for (; due < shouldHaveStarted; due++)
            {
                inFlight.RemoveAll(t => t.IsCompleted);
                if (inFlight.Count >= maxInFlight)
                {
                    Interlocked.Increment(ref _skipped);
                    continue;
                }
                var seed = (int)due;
                inFlight.Add(Task.Run(() => SendAsync(seed)));
            }
            await Task.Delay(1, CancellationToken.None);
        }
        await Task.WhenAll(inFlight);
    }

    /// <summary>One export; true when acknowledged.</summary>
    private async Task<bool> SendAsync(int seed)
    {
        Interlocked.Increment(ref _sent);
        var body = payloads.Next(seed);
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
            lock (_gate) FirstUnanswered ??= $"after {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s: {error.GetType().Name}: {error.Message} {error.InnerException?.Message}";
            return false;
        }
        if (status == "0")
        {
            Interlocked.Add(ref _acceptedSamples, payloads.SamplesPerRequest);
            lock (_gate) _latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return true;
        }
        var text = Uri.UnescapeDataString(message ?? "");
        Interlocked.Increment(ref _refused);
        if (status != "14") Interlocked.Increment(ref _refusedNotRetryable);
        else if (text.Contains("high memory usage", StringComparison.Ordinal)) Interlocked.Increment(ref _refusedByMemory);
        else if (text.Contains("queue is full", StringComparison.Ordinal)) Interlocked.Increment(ref _refusedByQueue);
        else if (text.Contains("too many requests in progress", StringComparison.Ordinal)) Interlocked.Increment(ref _refusedByConcurrency);
        lock (_gate) FirstRefusal ??= $"grpc-status {status ?? "missing"}: {text}";
        return false;
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.TrailingHeaders.TryGetValues(name, out var trailer) ? trailer.First()
        : response.Headers.TryGetValues(name, out var header) ? header.First() : null;
}
