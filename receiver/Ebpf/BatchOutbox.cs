using Collector.Core.Components;
using Collector.Core.Diagnostics;
using Collector.Core.Model;
using Microsoft.Extensions.Logging;

namespace Collector.Receivers.Ebpf;

/// <summary>
/// Delivers batches downstream strictly in order, so that a watermark never overtakes the samples and events it
/// vouches for. When downstream refuses a batch for now (<see cref="RetryableException"/>: a memory limiter, a
/// full queue), its samples are dropped at once, counted and logged at most every <see cref="DropLogInterval"/>,
/// and its control data (process events, watermark) is offered again straight away: the kernel cannot be asked
/// to wait, holding samples is what a refusing pipeline wants least, and the control data is what keeps
/// <c>pid_lifecycle</c>'s process table right. Control data that is refused too is offered again, unchanged, on
/// the next tick, and later batches wait behind it; past <c>capacity</c> waiting batches the oldest is dropped. A
/// batch refused for good is dropped at once. Delivery never blocks the poll thread beyond the downstream call.
/// </summary>
internal sealed class BatchOutbox(IProfilesConsumer next, int capacity, ILogger logger, TimeProvider time)
{
    public static readonly TimeSpan DropLogInterval = TimeSpan.FromSeconds(10);

    private readonly LinkedList<ProfileBatch> _waiting = new();
    private readonly LogThrottle _dropLog = new(time, DropLogInterval);
    private long _batchesSent;
    private long _samplesDropped;
    private long _samplesDroppedUnlogged;
    private bool _refusing;

    public long BatchesSent => Interlocked.Read(ref _batchesSent);

    /// <summary>Samples refused by downstream (for now or for good) or given up at capacity or shutdown.</summary>
    public long SamplesDropped => Interlocked.Read(ref _samplesDropped);

    public int Waiting => _waiting.Count;

    public void Enqueue(ProfileBatch batch)
    {
        if (_waiting.Count >= capacity)
        {
            Drop(TakeFirst(), $"downstream has refused batches for {capacity} ticks");
        }
        _waiting.AddLast(batch);
    }

    /// <summary>Sends what waits until done or refused. Cancellation leaves the current batch waiting.</summary>
    public async Task DeliverAsync(CancellationToken cancellationToken)
    {
        while (_waiting.First is { Value: var batch } first)
        {
            try
            {
                await next.ConsumeAsync(batch, cancellationToken).ConfigureAwait(false);
            }
            catch (RetryableException refused)
            {
                if (!batch.HasNoSamples)
                {
                    var control = WithoutSamples(batch, refused.Message);
                    if (control.IsEmpty) _waiting.RemoveFirst();
                    else first.Value = control;
                    continue;
                }
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
                _waiting.RemoveFirst();
                Drop(batch, error.Message);
                continue;
            }
            _waiting.RemoveFirst();
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
        while (_waiting.Count > 0)
        {
            Drop(TakeFirst(), reason);
        }
    }

    private ProfileBatch TakeFirst()
    {
        var batch = _waiting.First!.Value;
        _waiting.RemoveFirst();
        return batch;
    }

    /// <summary>
    /// The refused batch's control data in a new batch, its samples counted as dropped. The refused batch itself is
    /// left alone: with several exporters, one may have accepted it and still hold it in its queue.
    /// </summary>
    private ProfileBatch WithoutSamples(ProfileBatch batch, string reason)
    {
        var samples = batch.SampleCount;
        var control = new ProfileBatch
        {
            ProcessEvents = [.. batch.ProcessEvents],
            Executables = new Dictionary<string, ExecutableFile>(batch.Executables, StringComparer.Ordinal),
            WatermarkKtimeNanos = batch.WatermarkKtimeNanos,
        };
        Interlocked.Add(ref _samplesDropped, samples);
        _samplesDroppedUnlogged += samples;
        if (_dropLog.ShouldLog(out _))
        {
            logger.SamplesRefused(_samplesDroppedUnlogged, reason, DropLogInterval, SamplesDropped);
            _samplesDroppedUnlogged = 0;
        }
        return control;
    }

    private void Drop(ProfileBatch batch, string reason)
    {
        Interlocked.Add(ref _samplesDropped, batch.SampleCount);
        logger.BatchDropped(batch.SampleCount, batch.ProcessEvents.Count, reason);
    }
}
