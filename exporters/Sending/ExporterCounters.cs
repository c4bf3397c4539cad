using Collector.Core.Telemetry;
using Collector.Telemetry;

namespace Collector.Exporters.Sending;

/// <summary>
/// What an exporter with a sending queue reports about itself; the names follow the Collector's exporterhelper
/// metrics (<c>otelcol_exporter_sent_profile_samples</c> and friends). Updated from many threads. The standard
/// outcomes also go to the collector's self-telemetry, which only this exporter can record: ConsumeAsync
/// returning means queued, not sent.
/// </summary>
internal sealed class ExporterCounters(ExporterOutcomes? outcomes = null)
{
    private long _sentSamples;
    private long _sentRequests;
    private long _sendFailedSamples;
    private long _enqueueFailedSamples;
    private long _partialSuccessRejected;
    private long _requestBytesSent;

    /// <summary>Samples in requests the server accepted (including any it then reported as rejected in part).</summary>
    public long SentSamples => Interlocked.Read(ref _sentSamples);

    public long SentRequests => Interlocked.Read(ref _sentRequests);

    /// <summary>Samples dropped: refused for good, retries exhausted, lost at shutdown, or unreadable on disk.</summary>
    public long SendFailedSamples => Interlocked.Read(ref _sendFailedSamples);

    /// <summary>Samples refused at the door because the queue was full (or the disk could not take them).</summary>
    public long EnqueueFailedSamples => Interlocked.Read(ref _enqueueFailedSamples);

    /// <summary>Sum of <c>partial_success.rejected_profiles</c> over every response.</summary>
    public long PartialSuccessRejected => Interlocked.Read(ref _partialSuccessRejected);

    /// <summary>Bytes of request bodies put on the wire (compressed, framed), every attempt counted.</summary>
    public long RequestBytesSent => Interlocked.Read(ref _requestBytesSent);

    public void Sent(int samples)
    {
        Interlocked.Add(ref _sentSamples, samples);
        Interlocked.Increment(ref _sentRequests);
        outcomes?.Sent(samples);
    }

    public void SendFailed(long samples, Exception? error)
    {
        Interlocked.Add(ref _sendFailedSamples, samples);
        outcomes?.SendFailed(samples, error);
    }

    public void EnqueueFailed(int samples)
    {
        Interlocked.Add(ref _enqueueFailedSamples, samples);
        outcomes?.EnqueueFailed(samples);
    }

    public void Rejected(long profiles) => Interlocked.Add(ref _partialSuccessRejected, profiles);

    public void BytesSent(long bytes) => Interlocked.Add(ref _requestBytesSent, bytes);
}
