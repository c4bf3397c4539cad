using Collector.Core.Components;
using Collector.Core.Model;
using Collector.Telemetry;

namespace Collector.Core.Telemetry.Pipeline;

/// <summary>
/// Counts samples on one side of a processor: in front of it (<c>otelcol_processor_incoming_items</c>) or
/// in front of its next consumer (<c>otelcol_processor_outgoing_items</c>). Items are counted when they are
/// handed over, whatever the consumer then does with them, as the Collector counts them.
/// </summary>
internal sealed class ObservedProcessor(IProfilesConsumer consumer, TelemetryCounter items) : IProfilesConsumer
{
    public static ObservedProcessor Incoming(IProfilesConsumer processor, ComponentTelemetry telemetry) =>
        new(processor, telemetry.Counter(CollectorMetrics.ProcessorIncomingItems, (CollectorMetrics.SignalLabel, CollectorMetrics.ProfilesSignal)));

    public static ObservedProcessor Outgoing(IProfilesConsumer next, ComponentTelemetry telemetry) =>
        new(next, telemetry.Counter(CollectorMetrics.ProcessorOutgoingItems, (CollectorMetrics.SignalLabel, CollectorMetrics.ProfilesSignal)));

    public bool MutatesData => consumer.MutatesData;

    public ValueTask ConsumeAsync(ProfileBatch batch, CancellationToken cancellationToken)
    {
        if (items.Enabled) items.Add(batch.SampleCount);
        return consumer.ConsumeAsync(batch, cancellationToken);
    }
}
