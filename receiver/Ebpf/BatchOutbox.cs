using Collector.Core.Components;
using Collector.Core.Model;
using Microsoft.Extensions.Logging;

namespace Collector.Receivers.Ebpf;

/// <summary>
/// Delivers batches downstream strictly in order, so that a watermark never overtakes the samples and events it
/// vouches for. A batch refused with <see cref="RetryableException"/> is offered again, unchanged, on the next
/// tick, and later ones wait behind it; past <c>capacity</c> waiting batches the oldest is dropped (its samples
/// counted as dropped). A batch refused for good is dropped at once.
/// </summary>
internal sealed class BatchOutbox(IProfilesConsumer next, int capacity, ILogger logger)
{
    private readonly Queue<ProfileBatch> _waiting = new();
    private long _batchesSent;
    private long _samplesDropped;
    private bool _refusing;

    public long BatchesSent => Interlocked.Read(ref _batchesSent);

    public long SamplesDropped => Interlocked.Read(ref _samplesDropped);

    public int Waiting => _waiting.Count;

    public void Enqueue(ProfileBatch batch)
    {
        if (_waiting.Count >= capacity)
        {
            Drop(_waiting.Dequeue(), $"downstream has refused batches for {capacity} ticks");
        }
        _waiting.Enqueue(batch);
    }

    /// <summary>Sends what waits until done or refused. Cancellation leaves the current batch waiting.</summary>
    public async Task DeliverAsync(CancellationToken cancellationToken)
    {
        while (_waiting.TryPeek(out var batch))
        {
            try
            {
                await next.ConsumeAsync(batch, cancellationToken).ConfigureAwait(false);
            }
            catch (RetryableException refused)
            {
                if (!_refusing)
                {
                    _refusing = true;
                    logger.DownstreamRefusing(refused.Message, _waiting.Count);
                }
                return;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception error)
            {
                _waiting.Dequeue();
                Drop(batch, error.Message);
                continue;
            }
            _waiting.Dequeue();
            Interlocked.Increment(ref _batchesSent);
            if (_refusing)
            {
                _refusing = false;
                logger.DownstreamAccepting();
            }
        }
    }

    /// <summary>Gives up on whatever still waits (at shutdown, once delivery has had its chance).</summary>
    public void DropAll(string reason)
    {
        while (_waiting.TryDequeue(out var batch))
        {
            Drop(batch, reason);
        }
    }

    private void Drop(ProfileBatch batch, string reason)
    {
        Interlocked.Add(ref _samplesDropped, batch.SampleCount);
        logger.BatchDropped(batch.SampleCount, batch.ProcessEvents.Count, reason);
    }
}
