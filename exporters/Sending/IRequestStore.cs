namespace Collector.Exporters.Sending;

/// <summary>Where a persistent queue keeps its requests. Every method may throw <see cref="IOException"/>.</summary>
internal interface IRequestStore
{
    /// <summary>Where the records live, for messages.</summary>
    string Location { get; }

    /// <summary>Records a previous run left behind, oldest first. Records found unreadable are counted in <see cref="Corrupt"/> and skipped.</summary>
    IReadOnlyList<QueueEntry> Recover();

    /// <summary>Writes the request and makes it durable before returning: once this returns, a crash cannot lose it.</summary>
    QueueEntry Store(ExportRequest request);

    /// <summary>
    /// Reads a record back. Null when it turns out to be corrupt (counted in <see cref="Corrupt"/>, and set
    /// aside so it is not read again).
    /// </summary>
    ExportRequest? Load(QueueEntry entry);

    /// <summary>Deletes a record that was delivered or refused for good.</summary>
    void Remove(QueueEntry entry);

    /// <summary>Records found corrupt since the store was opened.</summary>
    int Corrupt { get; }
}
