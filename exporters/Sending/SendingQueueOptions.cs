using Collector.Core.Components;

namespace Collector.Exporters.Sending;

/// <summary>
/// <c>sending_queue</c>: a bounded buffer of requests between the pipeline and the senders, as the Collector's
/// exporterhelper queue with the <c>requests</c> sizer. With <see cref="Storage"/> the queue lives on disk.
/// </summary>
public sealed class SendingQueueOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>How many requests are sent concurrently.</summary>
    public int NumConsumers { get; set; } = 10;

    /// <summary>How many requests the queue holds before it refuses more (a refusal is retryable upstream).</summary>
    public int QueueSize { get; set; } = 1000;

    /// <summary>
    /// The id of a <c>file_storage</c> extension (listed in <c>service.extensions</c>); set, the queue is
    /// persistent and survives restarts and crashes.
    /// </summary>
    public string? Storage { get; set; }

    public IEnumerable<OptionsError> Validate(string prefix)
    {
        if (!Enabled) yield break;
        if (NumConsumers <= 0) yield return new OptionsError(prefix + "num_consumers", "must be greater than zero");
        if (QueueSize <= 0) yield return new OptionsError(prefix + "queue_size", "must be greater than zero");
        if (Storage is not null && !ComponentId.TryParse(Storage, out _, out var error))
        {
            yield return new OptionsError(prefix + "storage", error);
        }
    }
}
