namespace Collector.Receivers.Otlp;

/// <summary>
/// What one transport (grpc or http) of the receiver did, in the terms of the Collector's receiver metrics
/// (<c>otelcol_receiver_{accepted,refused,failed}_profile_samples</c>, <c>otelcol_receiver_requests</c>):
/// accepted = the pipeline took the samples; refused = the pipeline, or the receiver's concurrency limit,
/// turned the request away (the client may retry); failed = the request itself was at fault (malformed,
/// invalid, oversized, unauthenticated, wrong path) and was never offered to the pipeline.
/// </summary>
public sealed class TransportCounters
{
    private long _acceptedSamples;
    private long _refusedSamples;
    private long _failedSamples;
    private long _successRequests;
    private long _refusedRequests;
    private long _failedRequests;

    public TransportCounters(string transport) => Transport = transport;

    /// <summary><c>grpc</c> or <c>http</c>, the value of the metrics' <c>transport</c> attribute.</summary>
    public string Transport { get; }

    public long AcceptedSamples => Interlocked.Read(ref _acceptedSamples);

    /// <summary>Samples of requests the pipeline refused. Requests refused at the concurrency limit were not read, so their samples are unknown.</summary>
    public long RefusedSamples => Interlocked.Read(ref _refusedSamples);

    /// <summary>Samples of requests that decoded but were refused as invalid (out-of-range indices and the like).</summary>
    public long FailedSamples => Interlocked.Read(ref _failedSamples);

    public long SuccessRequests => Interlocked.Read(ref _successRequests);

    public long RefusedRequests => Interlocked.Read(ref _refusedRequests);

    public long FailedRequests => Interlocked.Read(ref _failedRequests);

    internal void Accepted(int samples)
    {
        Interlocked.Add(ref _acceptedSamples, samples);
        Interlocked.Increment(ref _successRequests);
    }

    internal void Refused(int samples)
    {
        Interlocked.Add(ref _refusedSamples, samples);
        Interlocked.Increment(ref _refusedRequests);
    }

    internal void Failed(int samples)
    {
        Interlocked.Add(ref _failedSamples, samples);
        Interlocked.Increment(ref _failedRequests);
    }
}
