using Microsoft.Extensions.Logging;

namespace Collector.Exporters.Sending;

/// <summary>
/// The <c>num_consumers</c> workers that take requests from the queue and deliver them. A request leaves the
/// queue for good (its record deleted) only once it was sent or refused for good; one whose delivery was cut
/// short by shutdown is handed back in <see cref="Abandoned"/>, and with a persistent queue stays on disk.
/// </summary>
internal sealed class QueueConsumers(RequestQueue queue, Delivery delivery, ExporterCounters counters, ILogger logger)
{
    private readonly CancellationTokenSource _abort = new();
    private readonly List<Task> _workers = [];
    private readonly Lock _gate = new();
    private readonly List<QueueEntry> _abandoned = [];

    /// <summary>Requests whose delivery shutdown interrupted.</summary>
    public IReadOnlyList<QueueEntry> Abandoned
    {
        get { lock (_gate) return [.. _abandoned]; }
    }

    public void Start(int consumers)
    {
        for (var i = 0; i < consumers; i++) _workers.Add(Task.Run(RunAsync));
    }

    /// <summary>
    /// Closes the queue and waits for the workers to send everything in it. True when they finished; false when
    /// <paramref name="cancellationToken"/> fired first, in which case the sends in flight were cancelled.
    /// </summary>
    public async Task<bool> DrainAsync(CancellationToken cancellationToken)
    {
        queue.Close();
        var all = Task.WhenAll(_workers);
        try
        {
            await all.WaitAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            await _abort.CancelAsync().ConfigureAwait(false);
            await all.ConfigureAwait(false);
            return false;
        }
        finally
        {
            _abort.Dispose();
        }
    }

    private async Task RunAsync()
    {
        while (true)
        {
            QueueEntry? entry;
            try
            {
                entry = await queue.DequeueAsync(_abort.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            if (entry is null) return;

            // Null: the record on disk was damaged; the store has counted and logged it.
            if (queue.Load(entry) is not { } request) continue;
            try
            {
                await delivery.SendAsync(request, _abort.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_abort.IsCancellationRequested)
            {
                lock (_gate) _abandoned.Add(entry);
                return;
            }
            catch (Exception error)
            {
                // A client bug must not take a worker down with it; the request is dropped and said so.
                counters.SendFailed(request.Samples, error);
                logger.Dropped(request.Samples, error.Message, "unexpected error", 0);
            }
            queue.Complete(entry);
        }
    }
}
