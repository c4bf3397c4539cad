using System.Buffers;
using System.IO.Compression;
using Collector.Core.Components;
using Collector.Core.Diagnostics;
using Collector.Core.Helpers;
using Collector.Core.Model;
using Collector.Core.Telemetry;
using Collector.Core.Telemetry.Pipeline;
using Collector.Telemetry;
using Microsoft.Extensions.Logging;

namespace Collector.Exporters.File;

/// <summary>
/// Writes every batch with samples as one self-contained OTLP export to a file (JSON lines or length-prefixed
/// protobuf) or as folded stacks, optionally as gzip members, with size-based rotation.
/// <para>A record that arrives after a flush interval without writes reaches the operating system at once: there
/// is nothing to batch it with, and a timer would wake a thread just to write it later (an agent reporting every
/// 5 s is always in this case). Records that follow it within the interval collect in memory and reach the
/// operating system one flush interval after the first of them arrived, when a megabyte has gathered, and at
/// shutdown (which also fsyncs). A failed write cuts the file back to its last complete
/// record, counts the samples it lost, and closes the file; the next batch opens it again, so the exporter
/// recovers on its own once the directory exists or the disk has room.</para>
/// <para>It reports its own sent and send-failed samples: a batch it accepted is only sent once its record
/// reached the operating system, which may be a flush later, and a failed flush loses batches accepted before.</para>
/// </summary>
public sealed class FileExporter : ExporterBase
{
    internal const int DefaultBufferLimit = 1 << 20;

    private static readonly TimeSpan ErrorLogInterval = TimeSpan.FromSeconds(10);

    private readonly FileExporterOptions _options;
    private readonly string _path;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly FileStreamFactory _open;
    private readonly LogThrottle _errorLog;
    private readonly Backups? _backups;
    private readonly ExporterOutcomes _outcomes;

    // Everything below is guarded by _gate: pipelines may call ConsumeAsync concurrently, and the timer flushes.
    private readonly Lock _gate = new();
    private readonly ArrayBufferWriter<byte> _pending = new();
    private readonly MemoryStream _member = new();
    private int _pendingRecords;
    private long _pendingSamples;
    private RecordFile? _file;
    private bool _truncateOnOpen;
    private long? _repairTo;
    private ITimer? _timer;
    private long? _lastWrite;
    private bool _stopped;

    private long _writtenRecords;
    private long _writtenSamples;
    private long _failedSamples;

    public FileExporter(ComponentCreateSettings settings, FileExporterOptions options)
        : this(settings, options, OpenFileStream)
    {
    }

    internal FileExporter(ComponentCreateSettings settings, FileExporterOptions options, FileStreamFactory open)
        : base(settings)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _path = Path.GetFullPath(options.Path);
        _logger = settings.CreateLogger();
        _time = settings.TimeProvider;
        _open = open;
        _errorLog = new LogThrottle(_time, ErrorLogInterval);
        _backups = options.Rotation is null ? null : new Backups(_path);
        _truncateOnOpen = !options.Append;
        _outcomes = settings.Telemetry.ExporterOutcomes;
    }

    /// <summary>Records (exports) handed to the operating system.</summary>
    public long WrittenRecords => Interlocked.Read(ref _writtenRecords);

    /// <summary>Samples inside <see cref="WrittenRecords"/>.</summary>
    public long WrittenSamples => Interlocked.Read(ref _writtenSamples);

    /// <summary>Samples lost because the file could not be opened or written.</summary>
    public long FailedSamples => Interlocked.Read(ref _failedSamples);

    /// <summary>A record counts as sent once it reached the operating system, which may be a flush later.</summary>
    protected override bool ReportsOwnOutcomes => true;

    /// <summary>Buffered bytes that trigger a flush before the interval is up; small in tests.</summary>
    internal int BufferLimit { get; init; } = DefaultBufferLimit;

    protected override Task OnStartAsync(IComponentHost host, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_stopped || _timer is not null) return Task.CompletedTask;
            // Armed by the first record that waits, so an idle exporter (or one between reports) never wakes up.
            _timer = _time.CreateTimer(static state => ((FileExporter)state!).FlushOnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            try
            {
                EnsureOpen();
            }
            catch (Exception error) when (IsWriteFailure(error))
            {
                // A missing mount or directory may appear later; every batch tries again.
                _logger.OpenAtStartFailed(_path, error.Message, error);
            }
        }
        return Task.CompletedTask;
    }

    protected override ValueTask ExportAsync(ProfileBatch batch, CancellationToken cancellationToken)
    {
        var samples = batch.SampleCount;
        byte[] record;
        try
        {
            // Encoding needs no lock, so concurrent pipelines only queue up for the copy and the write.
            record = RecordEncoder.Encode(batch, _options.Format);
        }
        catch (Exception error)
        {
            CountFailed(samples, error);
            throw;
        }

        lock (_gate)
        {
            if (_stopped)
            {
                var stopped = new InvalidOperationException($"the file exporter for {_path} has shut down");
                CountFailed(samples, stopped);
                throw stopped;
            }

            var failedBefore = FailedSamples;
            var buffered = false;
            try
            {
                EnsureOpen();
                if (_options.Rotation is { } rotation) RotateIfFull(rotation, record.Length);
                _pending.Write(record);
                _pendingSamples += samples;
                buffered = true;
                if (_pendingRecords++ == 0)
                {
                    if (QuietForAnInterval())
                    {
                        // Accepted like a buffered record: a failure is counted and reported, not thrown.
                        FlushAccepted();
                        return ValueTask.CompletedTask;
                    }
                    _timer?.Change(_options.FlushInterval, Timeout.InfiniteTimeSpan);
                }
                if (_pending.WrittenCount >= BufferLimit) FlushPending();
            }
            catch (Exception error) when (IsWriteFailure(error))
            {
                if (!buffered) CountFailed(samples, error);
                ReportFailure(error, FailedSamples - failedBefore);
                throw new IOException($"file exporter could not write {_path}: {error.Message}", error);
            }
        }
        return ValueTask.CompletedTask;
    }

    protected override Task OnShutdownAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            // A batch that passed the helper's check before the shutdown began finds this under the lock.
            _stopped = true;
            _timer?.Dispose();
            _timer = null;
            var failedBefore = FailedSamples;
            try
            {
                FlushPending();
                _file?.FlushToDisk();
            }
            catch (Exception error) when (IsWriteFailure(error))
            {
                ReportFailure(error, FailedSamples - failedBefore);
            }
            _file?.Dispose();
            _file = null;
        }
        return Task.CompletedTask;
    }

    private static Stream OpenFileStream(string path, FileMode mode) =>
        // No FileStream buffer: our own buffer decides what reaches the OS, and a failed write must leave no
        // bytes behind in a buffer that a later write would flush after the truncation.
        new FileStream(path, mode, FileAccess.Write, FileShare.Read | FileShare.Delete, bufferSize: 0);

    private static bool IsWriteFailure(Exception error) => error is IOException or UnauthorizedAccessException;

    private void FlushOnTimer()
    {
        lock (_gate)
        {
            if (_stopped || _pending.WrittenCount == 0) return;
            FlushAccepted();
        }
    }

    private bool QuietForAnInterval() => _lastWrite is not { } last || _time.GetElapsedTime(last) >= _options.FlushInterval;

    /// <summary>Writes what waits; a failure loses the waiting records, which is counted and logged here.</summary>
    private void FlushAccepted()
    {
        var failedBefore = FailedSamples;
        try
        {
            FlushPending();
        }
        catch (Exception error) when (IsWriteFailure(error))
        {
            ReportFailure(error, FailedSamples - failedBefore);
        }
    }

    private void EnsureOpen()
    {
        if (_file is not null) return;
        if (_options.CreateDirectory && Path.GetDirectoryName(_path) is { Length: > 0 } directory)
        {
            Directory.CreateDirectory(directory);
        }
        var truncate = _truncateOnOpen;
        var file = RecordFile.Open(_path, truncate, _repairTo, _open);
        _file = file;
        _repairTo = null;
        // Truncate only the first time: reopening after a failure must keep what this exporter wrote.
        _truncateOnOpen = false;
        if (!truncate && _options.Format is FileFormat.Json or FileFormat.Folded && !_options.IsGzip && file.Length > 0 && !EndsWithNewline(_path))
        {
            // Something else (a crash of an earlier run) left a partial line: end it, so our first record
            // starts on a line of its own instead of being glued to a line that no reader can parse.
            file.Write("\n"u8);
        }
    }

    private static bool EndsWithNewline(string path)
    {
        using var reader = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);
        if (reader.Length == 0) return true;
        reader.Seek(-1, SeekOrigin.End);
        return reader.ReadByte() == '\n';
    }

    private void RotateIfFull(RotationOptions rotation, int recordLength)
    {
        var limit = (long)rotation.MaxMegabytes * 1024 * 1024;
        if (_file!.Length + _pending.WrittenCount + recordLength <= limit) return;

        // Flush first so the file's size is exact (with gzip the buffered bytes shrink when compressed).
        FlushPending();
        // A record larger than the limit still goes out whole, into a file of its own.
        if (_file!.Length == 0 || _file.Length + recordLength <= limit) return;

        _file.Dispose();
        _file = null;
        var now = rotation.Localtime ? _time.GetLocalNow().DateTime : _time.GetUtcNow().UtcDateTime;
        var backup = _backups!.NewName(now);
        System.IO.File.Move(_path, backup);
        _logger.Rotated(_path, backup);
        _file = RecordFile.Open(_path, truncate: true, repairTo: null, _open);
        _truncateOnOpen = false;

        foreach (var old in _backups.Excess(rotation.MaxBackups))
        {
            try
            {
                System.IO.File.Delete(old);
            }
            catch (Exception error) when (IsWriteFailure(error))
            {
                _logger.BackupDeleteFailed(old, error.Message);
            }
        }
    }

    private void FlushPending()
    {
        if (_pending.WrittenCount == 0) return;
        _lastWrite = _time.GetTimestamp();
        try
        {
            _file!.Write(_options.IsGzip ? Compress(_pending.WrittenSpan) : _pending.WrittenSpan);
        }
        catch (Exception error)
        {
            CountFailed(_pendingSamples, error);
            ClearPending();
            if (_file is { } file)
            {
                _repairTo = file.NeedsRepair ? file.Length : null;
                file.Dispose();
                _file = null;
            }
            throw;
        }
        Interlocked.Add(ref _writtenRecords, _pendingRecords);
        Interlocked.Add(ref _writtenSamples, _pendingSamples);
        _outcomes.Sent(_pendingSamples);
        ClearPending();
    }

    private void CountFailed(long samples, Exception error)
    {
        Interlocked.Add(ref _failedSamples, samples);
        _outcomes.SendFailed(samples, error);
    }

    /// <summary>One complete gzip member holding every buffered record.</summary>
    private ReadOnlySpan<byte> Compress(ReadOnlySpan<byte> records)
    {
        _member.SetLength(0);
        // Fastest: the agent's CPU budget matters more than the last percent of file size.
        using (var gzip = new GZipStream(_member, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(records);
        }
        return _member.GetBuffer().AsSpan(0, (int)_member.Length);
    }

    private void ClearPending()
    {
        _pending.ResetWrittenCount();
        _pendingRecords = 0;
        _pendingSamples = 0;
    }

    private void ReportFailure(Exception error, long lostSamples)
    {
        if (_errorLog.ShouldLog(out var suppressed))
        {
            _logger.WriteFailed(_path, error.Message, lostSamples, suppressed, error);
        }
    }
}
