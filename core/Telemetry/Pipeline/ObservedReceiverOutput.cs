using System.Collections.Concurrent;
using Collector.Core.Components;
using Collector.Core.Model;
using Collector.Telemetry;

namespace Collector.Core.Telemetry.Pipeline;

/// <summary>
/// The consumer a receiver is created with: it counts what the pipeline did with each batch (accepted;
/// refused for now with a <see cref="RetryableException"/>; failed with anything else) and passes the outcome
/// back unchanged. A receiver with several transports takes one variant per transport through
/// <see cref="ReceiverTransports.WithTransport"/>; the variant without a transport leaves the label out.
/// </summary>
internal sealed class ObservedReceiverOutput : IProfilesConsumer
{
    private readonly IProfilesConsumer _next;
    private readonly ComponentTelemetry _telemetry;
    private readonly ConcurrentDictionary<string, ObservedReceiverOutput> _transports;
    private readonly Lock _gate = new();
    private Counters? _counters;

    public ObservedReceiverOutput(IProfilesConsumer next, ComponentTelemetry telemetry)
        : this(next, telemetry, "", new ConcurrentDictionary<string, ObservedReceiverOutput>(StringComparer.Ordinal))
    {
    }

    private ObservedReceiverOutput(IProfilesConsumer next, ComponentTelemetry telemetry, string transport, ConcurrentDictionary<string, ObservedReceiverOutput> transports)
    {
        _next = next;
        _telemetry = telemetry;
        _transports = transports;
        Transport = transport;
        // The variant without a transport makes its counters on first use, so a receiver that only uses named
        // transports does not also show an unlabelled series stuck at zero.
        if (transport.Length > 0) _counters = new Counters(telemetry, transport);
    }

    public string Transport { get; }

    public bool MutatesData => _next.MutatesData;

    /// <summary>The variant that labels its counts with <paramref name="transport"/>; one instance per transport.</summary>
    public ObservedReceiverOutput ForTransport(string transport) =>
        transport == Transport ? this : _transports.GetOrAdd(transport, t => new ObservedReceiverOutput(_next, _telemetry, t, _transports));

    public ValueTask ConsumeAsync(ProfileBatch batch, CancellationToken cancellationToken)
    {
        var samples = batch.SampleCount;
        ValueTask pending;
        try
        {
            pending = _next.ConsumeAsync(batch, cancellationToken);
        }
        catch (Exception error)
        {
            Failed(samples, error);
            throw;
        }
        if (!pending.IsCompletedSuccessfully) return AwaitAsync(pending, samples);
        Counts.Accepted.Add(samples);
        return ValueTask.CompletedTask;
    }

    private async ValueTask AwaitAsync(ValueTask pending, int samples)
    {
        try
        {
            await pending.ConfigureAwait(false);
        }
        catch (Exception error)
        {
            Failed(samples, error);
            throw;
        }
        Counts.Accepted.Add(samples);
    }

    private Counters Counts => Volatile.Read(ref _counters) ?? CreateCounters();

    private Counters CreateCounters()
    {
        lock (_gate) return _counters ??= new Counters(_telemetry, Transport);
    }

    private void Failed(int samples, Exception error)
    {
        if (error is RetryableException) Counts.Refused.Add(samples);
        else Counts.Failed.Add(samples);
    }

    private sealed class Counters
    {
        public Counters(ComponentTelemetry telemetry, string transport)
        {
            ReadOnlySpan<(string, string)> labels = transport.Length == 0 ? [] : [(CollectorMetrics.TransportLabel, transport)];
            Accepted = telemetry.Counter(CollectorMetrics.ReceiverAcceptedSamples, labels);
            Refused = telemetry.Counter(CollectorMetrics.ReceiverRefusedSamples, labels);
            Failed = telemetry.Counter(CollectorMetrics.ReceiverFailedSamples, labels);
        }

        public TelemetryCounter Accepted { get; }

        public TelemetryCounter Refused { get; }

        public TelemetryCounter Failed { get; }
    }
}
