using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Collector.Exporters.Sending.Persistent;

/// <summary>
/// A persistent queue as one file per request in a directory of its own: <c>00000000000000000042.req</c>,
/// the number giving the order. A request is written to <c>.tmp</c>, fsynced, renamed to <c>.req</c> and the
/// directory fsynced before <see cref="Store"/> returns, so a <c>.req</c> file is either absent or complete.
/// <para>Why a file per request rather than a log: consumers finish requests out of order, and deleting a file is
/// the whole of "done", with no compaction and no index to keep consistent; damage stays inside one record.
/// Requests are whole exports (thousands of samples), so a file each is cheap.</para>
/// <para>At start, <c>.tmp</c> files (writes a crash interrupted, never acknowledged) are deleted, and a record
/// whose header or checksum does not hold is renamed to <c>.corrupt</c>, counted, logged, and skipped.</para>
/// </summary>
internal sealed class DiskRequestStore : IRequestStore
{
    private const string RecordSuffix = ".req";
    private const string TempSuffix = ".tmp";
    private const string CorruptSuffix = ".corrupt";

    private readonly string _directory;
    private readonly ILogger _logger;
    private long _lastSequence;
    private int _corrupt;

    public DiskRequestStore(string directory, ILogger logger)
    {
        _directory = Path.GetFullPath(directory);
        _logger = logger;
        Directory.CreateDirectory(_directory);
    }

    public string Location => _directory;

    public int Corrupt => Volatile.Read(ref _corrupt);

    public IReadOnlyList<QueueEntry> Recover()
    {
        foreach (var temp in Directory.EnumerateFiles(_directory, "*" + TempSuffix)) System.IO.File.Delete(temp);

        var entries = new List<QueueEntry>();
        var header = new byte[QueueRecord.HeaderSize];
        foreach (var (sequence, path) in Records())
        {
            _lastSequence = Math.Max(_lastSequence, sequence);
            long length;
            int read;
            using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0))
            {
                length = file.Length;
                read = file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
            }
            if (QueueRecord.ReadHeader(header.AsSpan(0, read), length, out var problem) is { } valid)
            {
                entries.Add(new QueueEntry(sequence, valid.Samples, null));
            }
            else
            {
                SetAside(path, problem);
            }
        }
        return entries;
    }

    public QueueEntry Store(ExportRequest request)
    {
        var sequence = Interlocked.Increment(ref _lastSequence);
        var temp = Path.Combine(_directory, Name(sequence) + TempSuffix);
        var final = PathOf(sequence);
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0))
            {
                file.Write(QueueRecord.Encode(request));
                file.Flush(flushToDisk: true);
            }
            System.IO.File.Move(temp, final);
            DirectorySync.Flush(_directory);
        }
        catch
        {
            TryDelete(temp);
            TryDelete(final);
            throw;
        }
        return new QueueEntry(sequence, request.Samples, null);
    }

    public ExportRequest? Load(QueueEntry entry)
    {
        var path = PathOf(entry.Sequence);
        byte[] record;
        try
        {
            record = System.IO.File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            // Someone removed it under us; there is nothing to send, and nothing to count as damaged.
            return null;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // Unreadable now is unreadable on every later try too: set it aside rather than loop on it.
            SetAside(path, "could not be read: " + error.Message);
            return null;
        }
        var request = QueueRecord.Decode(record, out var problem);
        if (request is null) SetAside(path, problem);
        return request;
    }

    public void Remove(QueueEntry entry)
    {
        var path = PathOf(entry.Sequence);
        try
        {
            // No directory fsync: if the deletion is lost in a crash, the request is sent once more (at least once).
            System.IO.File.Delete(path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            _logger.RemoveFailed(_directory, Path.GetFileName(path), error.Message);
        }
    }

    private IEnumerable<(long Sequence, string Path)> Records()
    {
        var records = new List<(long, string)>();
        foreach (var path in Directory.EnumerateFiles(_directory, "*" + RecordSuffix))
        {
            var stem = Path.GetFileNameWithoutExtension(path);
            if (long.TryParse(stem, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)) records.Add((sequence, path));
        }
        records.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        return records;
    }

    private void SetAside(string path, string problem)
    {
        Interlocked.Increment(ref _corrupt);
        _logger.CorruptRecord(_directory, Path.GetFileName(path), problem);
        try
        {
            System.IO.File.Move(path, path + CorruptSuffix, overwrite: true);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            TryDelete(path);
        }
    }

    private string PathOf(long sequence) => Path.Combine(_directory, Name(sequence) + RecordSuffix);

    private static string Name(long sequence) => sequence.ToString("D20", CultureInfo.InvariantCulture);

    private static void TryDelete(string path)
    {
        try
        {
            System.IO.File.Delete(path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // Cleanup after a failure that is already being reported.
        }
    }
}
