using System.Threading.Channels;

namespace Collector.Exporters.Sending;

/// <summary>
/// The bounded queue between <c>ConsumeAsync</c> and the consumers. It refuses instead of waiting when full, so
/// the pipeline sees backpressure (a retryable error) at once and memory never grows past the bound.
/// <para>The split parts of one batch enter together or not at all, so a refused batch can be retried whole
/// without duplicates. A group larger than the whole capacity is admitted only into an empty queue: it could
/// never enter otherwise, and the overshoot is bounded by one batch.</para>
/// <para>With a store, each request is durable before <see cref="TryEnqueue"/> returns. The disk writes happen
/// outside the lock, so concurrent producers fsync in parallel.</para>
/// </summary>
internal sealed class RequestQueue
{
    private readonly Channel<QueueEntry> _channel = Channel.CreateUnbounded<QueueEntry>();
    private readonly Lock _gate = new();
    private readonly IRequestStore? _store;
    private int _count;
    private int _enqueuing;
    private bool _closed;

    public RequestQueue(int capacity, IRequestStore? store)
    {
        Capacity = capacity;
        _store = store;
        if (store is null) return;
        // What a crash or a hurried shutdown left on disk goes first, in its original order, even beyond capacity.
        foreach (var entry in store.Recover())
        {
            _channel.Writer.TryWrite(entry);
            _count++;
            RecoveredSamples += entry.Samples;
        }
    }

    public int Capacity { get; }

    /// <summary>Samples in the requests an earlier run left in the store.</summary>
    public long RecoveredSamples { get; }

    /// <summary>Requests waiting for a consumer (not counting those being sent).</summary>
    public int Count => Volatile.Read(ref _count);

    public IRequestStore? Store => _store;

    /// <summary>False when full or closed. With a store, throws <see cref="IOException"/> when the requests could not be made durable.</summary>
    public bool TryEnqueue(IReadOnlyList<ExportRequest> requests)
    {
        lock (_gate)
        {
            if (_closed || (_count > 0 && _count + requests.Count > Capacity)) return false;
            _count += requests.Count;
            _enqueuing++;
        }

        var entries = new List<QueueEntry>(requests.Count);
        try
        {
            foreach (var request in requests)
            {
                entries.Add(_store is null ? new QueueEntry(0, request.Samples, request) : _store.Store(request));
            }
        }
        catch
        {
            foreach (var stored in entries) TryRemove(stored);
            lock (_gate)
            {
                _count -= requests.Count;
                FinishEnqueue();
            }
            throw;
        }

        lock (_gate)
        {
            foreach (var entry in entries) _channel.Writer.TryWrite(entry);
            FinishEnqueue();
        }
        return true;
    }

    /// <summary>The next request; null once the queue is closed and empty.</summary>
    public async ValueTask<QueueEntry?> DequeueAsync(CancellationToken cancellationToken)
    {
        while (await _channel.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (_channel.Reader.TryRead(out var entry))
            {
                Interlocked.Decrement(ref _count);
                return entry;
            }
        }
        return null;
    }

    /// <summary>The request behind an entry; null when its record on disk turned out to be corrupt.</summary>
    public ExportRequest? Load(QueueEntry entry) => entry.Request ?? _store?.Load(entry);

    /// <summary>The request was delivered or refused for good: its record, if any, is deleted.</summary>
    public void Complete(QueueEntry entry)
    {
        if (_store is not null) _store.Remove(entry);
    }

    /// <summary>Refuses further requests; consumers drain what is queued and then see the end.</summary>
    public void Close()
    {
        lock (_gate)
        {
            _closed = true;
            if (_enqueuing == 0) _channel.Writer.TryComplete();
        }
    }

    /// <summary>Takes every request still waiting, for the shutdown report once the consumers have stopped.</summary>
    public List<QueueEntry> TakeRemaining()
    {
        var remaining = new List<QueueEntry>();
        while (_channel.Reader.TryRead(out var entry))
        {
            Interlocked.Decrement(ref _count);
            remaining.Add(entry);
        }
        return remaining;
    }

    private void FinishEnqueue()
    {
        _enqueuing--;
        if (_closed && _enqueuing == 0) _channel.Writer.TryComplete();
    }

    private void TryRemove(QueueEntry entry)
    {
        try
        {
            _store!.Remove(entry);
        }
        catch (IOException)
        {
            // The batch is refused and will come again; a stray record costs at most a duplicate after a restart.
        }
    }
}
