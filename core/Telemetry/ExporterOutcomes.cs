using Collector.Core.Components;
using Collector.Telemetry;

namespace Collector.Core.Telemetry;

/// <summary>
/// What became of the samples handed to one exporter: sent, failed to send (permanently, after whatever
/// retries the exporter makes), or not taken in at all (full queue). Also counts failed sends in a row, which
/// <see cref="PipelineHealth"/> reads to tell an exporter that keeps failing from one that failed once.
/// </summary>
public sealed class ExporterOutcomes
{
    private readonly ComponentTelemetry _telemetry;
    private readonly TelemetryCounter _sent;
    private readonly TelemetryCounter _sendFailed;
    private readonly TelemetryCounter _enqueueFailed;
    private int _failuresInARow;
    private string? _lastError;

    internal ExporterOutcomes(ComponentTelemetry telemetry)
    {
        _telemetry = telemetry;
        _sent = telemetry.Counter(CollectorMetrics.ExporterSentSamples);
        _sendFailed = telemetry.Counter(CollectorMetrics.ExporterSendFailedSamples);
        _enqueueFailed = telemetry.Counter(CollectorMetrics.ExporterEnqueueFailedSamples);
        telemetry.Health.Track(this);
    }

    public ComponentId Exporter => _telemetry.Id;

    /// <summary>Sends that failed since the last one that succeeded.</summary>
    public int FailuresInARow => Volatile.Read(ref _failuresInARow);

    /// <summary>The message of the most recent failed send, for logs; null before any failure.</summary>
    public string? LastError => Volatile.Read(ref _lastError);

    public void Sent(long samples)
    {
        _sent.Add(samples);
        if (Volatile.Read(ref _failuresInARow) != 0) Volatile.Write(ref _failuresInARow, 0);
    }

    public void SendFailed(long samples, Exception? error = null)
    {
        _sendFailed.Add(samples);
        if (error is not null) Volatile.Write(ref _lastError, error.Message);
        Interlocked.Increment(ref _failuresInARow);
    }

    /// <summary>Refused for now (backpressure): the data may come again, so this is no sign of a broken exporter.</summary>
    public void EnqueueFailed(long samples) => _enqueueFailed.Add(samples);

    /// <summary>For an exporter with a sending queue: its current length and its capacity, in batches.</summary>
    public void ObserveQueue(Func<long> size, Func<long> capacity)
    {
        _telemetry.ObservableGauge(CollectorMetrics.ExporterQueueSize, size, (CollectorMetrics.DataTypeLabel, CollectorMetrics.ProfilesSignal));
        _telemetry.ObservableGauge(CollectorMetrics.ExporterQueueCapacity, capacity, (CollectorMetrics.DataTypeLabel, CollectorMetrics.ProfilesSignal));
    }
}
