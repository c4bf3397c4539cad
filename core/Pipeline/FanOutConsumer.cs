using Collector.Core.Components;
using Collector.Core.Model;

namespace Collector.Core.Pipeline;

/// <summary>
/// Hands each batch to several consumers. Read-only consumers share the original batch; a consumer that
/// mutates gets a private copy, unless it is the only one that would see the original (then it gets it).
/// Every consumer is called even when an earlier one fails; the failure reported is retryable only when every
/// failure was, so a caller never retries data that some consumer already accepted permanently wrong.
/// </summary>
public sealed class FanOutConsumer : IProfilesConsumer
{
    private readonly IProfilesConsumer[] _consumers;
    private readonly int _originalGoesTo;

    public FanOutConsumer(IReadOnlyList<IProfilesConsumer> consumers)
    {
        if (consumers.Count == 0) throw new ArgumentException("a fan-out needs at least one consumer", nameof(consumers));
        _consumers = [.. consumers];
        // When nobody reads without mutating, the last mutating consumer may keep the original.
        _originalGoesTo = _consumers.Any(c => !c.MutatesData) ? -1 : _consumers.Length - 1;
    }

    /// <summary>Never mutates itself: it copies for those that do.</summary>
    public bool MutatesData => false;

    public ValueTask ConsumeAsync(ProfileBatch batch, CancellationToken cancellationToken) =>
        _consumers.Length == 1 ? _consumers[0].ConsumeAsync(batch, cancellationToken) : ConsumeAllAsync(batch, cancellationToken);

    private async ValueTask ConsumeAllAsync(ProfileBatch batch, CancellationToken cancellationToken)
    {
        List<Exception>? failures = null;
        for (var i = 0; i < _consumers.Length; i++)
        {
            var consumer = _consumers[i];
            var input = consumer.MutatesData && i != _originalGoesTo ? batch.Clone() : batch;
            try
            {
                await consumer.ConsumeAsync(input, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                (failures ??= []).Add(error);
            }
        }

        if (failures is null) return;
        if (failures.Count == 1) throw failures[0];
        var aggregate = new AggregateException("several consumers failed", failures);
        if (failures.TrueForAll(f => f is RetryableException)) throw new RetryableException(aggregate.Message, aggregate);
        throw aggregate;
    }
}
