using Collector.Core.Components;
using Collector.Core.Model;
using Collector.Telemetry;

namespace Collector.Core.Telemetry.Pipeline;

/// <summary>
/// Stands in front of an exporter that delivers within <c>ConsumeAsync</c>: returning means sent, a
/// <see cref="RetryableException"/> means not taken in (enqueue failed), anything else means the send failed.
/// Batches without samples (watermarks, process events) are passed on uncounted.
/// </summary>
internal sealed class ObservedExporter(IProfilesConsumer exporter, ExporterOutcomes outcomes) : IProfilesConsumer
{
    public bool MutatesData => exporter.MutatesData;

    public ValueTask ConsumeAsync(ProfileBatch batch, CancellationToken cancellationToken)
    {
        // Counted before the call: once handed over, the batch is the exporter's.
        var samples = batch.SampleCount;
        if (samples == 0) return exporter.ConsumeAsync(batch, cancellationToken);
        ValueTask pending;
        try
        {
            pending = exporter.ConsumeAsync(batch, cancellationToken);
        }
        catch (Exception error)
        {
            Failed(samples, error);
            throw;
        }
        if (!pending.IsCompletedSuccessfully) return AwaitAsync(pending, samples);
        outcomes.Sent(samples);
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
        outcomes.Sent(samples);
    }

    private void Failed(int samples, Exception error)
    {
        if (error is RetryableException) outcomes.EnqueueFailed(samples);
        else outcomes.SendFailed(samples, error);
    }
}
