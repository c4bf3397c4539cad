namespace Collector.Exporters.Sending;

/// <summary>
/// A request waiting in the sending queue. In memory it carries the request; in a persistent queue only the
/// record's sequence number and sample count, and the body is read back when a consumer takes it, so a long
/// queue on disk does not also fill the heap.
/// </summary>
internal sealed class QueueEntry(long sequence, int samples, ExportRequest? request)
{
    public long Sequence { get; } = sequence;

    public int Samples { get; } = samples;

    public ExportRequest? Request { get; } = request;
}
