using Collector.Core.Components;
using Collector.Core.Diagnostics;
using Collector.Core.Model;
using Collector.Core.Telemetry;
using Collector.Core.Telemetry.Pipeline;
using Collector.Otlp;
using Collector.Otlp.Proto.Collector;
using Collector.Telemetry;
using Microsoft.Extensions.Logging;

namespace Collector.Receivers.OtlpJsonFile;

/// <summary>
/// Replays files of OTLP/JSON exports, one per line (as our file exporter or the Collector's writes them),
/// into a pipeline. Reading runs on its own task; each batch is handed on and awaited before the next line is
/// read, so a slow pipeline slows the reading instead of filling memory.
/// <para>Shutdown stops at the next line boundary: the batch being consumed finishes, nothing after it is read.</para>
/// </summary>
public sealed class OtlpJsonFileReceiver : IReceiver
{
    /// <summary>Lines beyond the recommended OTLP request limit are dropped as corrupt rather than buffered.</summary>
    internal const int MaxLineBytes = 64 * 1024 * 1024;

    /// <summary>The transport label of its accepted/refused/failed counts, as the Collector's otlpjsonfile receiver has it.</summary>
    internal const string Transport = "file";

    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan LogInterval = TimeSpan.FromSeconds(10);

    private readonly OtlpJsonFileReceiverOptions _options;
    private readonly IProfilesConsumer _next;
    private readonly ComponentId _id;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly FileGlob[] _globs;
    private readonly LogThrottle _corruptLog;
    private readonly LogThrottle _consumerLog;
    private readonly LogThrottle _readLog;

    // Cancelled when shutdown begins: stop reading lines and stop retrying.
    private readonly CancellationTokenSource _stopping = new();
    // Cancelled when shutdown's own deadline passes: the consumer call in progress should give up too.
    private readonly CancellationTokenSource _abort = new();
    private readonly Lock _gate = new();
    private Task? _reading;
    private Task? _shutdown;
    private IComponentHost? _host;

    private long _acceptedBatches;
    private long _acceptedSamples;
    private long _corruptLines;
    private long _failedBatches;
    private long _failedSamples;

    public OtlpJsonFileReceiver(ComponentCreateSettings settings, OtlpJsonFileReceiverOptions options, IProfilesConsumer next)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(next);
        _options = options;
        _next = next.WithTransport(Transport);
        _id = settings.Id;
        _logger = settings.CreateLogger();
        _time = settings.TimeProvider;
        var workingDirectory = Environment.CurrentDirectory;
        _globs = options.Include.ConvertAll(pattern => new FileGlob(pattern, workingDirectory)).ToArray();
        _corruptLog = new LogThrottle(_time, LogInterval);
        _consumerLog = new LogThrottle(_time, LogInterval);
        _readLog = new LogThrottle(_time, LogInterval);
        // Accepted, refused and failed samples are counted by the pipeline around _next; skipped lines only here.
        settings.Telemetry.ObservableCounter(ProfilerMetrics.CorruptLines, () => CorruptLines);
    }

    /// <summary>Batches the next consumer accepted.</summary>
    public long AcceptedBatches => Interlocked.Read(ref _acceptedBatches);

    /// <summary>Samples in <see cref="AcceptedBatches"/>.</summary>
    public long AcceptedSamples => Interlocked.Read(ref _acceptedSamples);

    /// <summary>Lines that were not OTLP/JSON exports (truncated, damaged, too long) and were skipped.</summary>
    public long CorruptLines => Interlocked.Read(ref _corruptLines);

    /// <summary>Batches the next consumer rejected for good, or still refused when shutdown came.</summary>
    public long FailedBatches => Interlocked.Read(ref _failedBatches);

    /// <summary>Samples in <see cref="FailedBatches"/>.</summary>
    public long FailedSamples => Interlocked.Read(ref _failedSamples);

    /// <summary>The reading task, for tests that wait until a one-time replay is over.</summary>
    internal Task Reading
    {
        get
        {
            lock (_gate) return _reading ?? Task.CompletedTask;
        }
    }

    public Task StartAsync(IComponentHost host, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_reading is not null || _shutdown is not null) return Task.CompletedTask;
            _host = host;
            _reading = Task.Run(ReadAsync, CancellationToken.None);
        }
        return Task.CompletedTask;
    }

    public Task ShutdownAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _shutdown ??= StopAsync(_reading, cancellationToken);
            return _shutdown;
        }
    }

    private async Task StopAsync(Task? reading, CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (reading is not null)
        {
            using (cancellationToken.Register(static state => ((CancellationTokenSource)state!).Cancel(), _abort))
            {
                await reading.ConfigureAwait(false);
            }
        }
        _stopping.Dispose();
        _abort.Dispose();
        // One line that says what this run delivered, so an operator can check it against the exporters' counts.
        _logger.Stopped(AcceptedBatches, AcceptedSamples, CorruptLines, FailedSamples);
    }

    private async Task ReadAsync()
    {
        var open = new SortedDictionary<string, TailedFile>(StringComparer.Ordinal);
        var finished = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            for (var firstScan = true; !_stopping.IsCancellationRequested; firstScan = false)
            {
                Scan(open, finished, firstScan);
                foreach (var file in open.Values.ToList())
                {
                    if (!await ReadAvailableAsync(file).ConfigureAwait(false)) return;
                    if (!_options.Follow || file.IsGzip)
                    {
                        if (!await FinishAsync(file).ConfigureAwait(false)) return;
                        open.Remove(file.Path);
                        finished.Add(file.Path);
                        file.Dispose();
                    }
                    else
                    {
                        CheckFollowedPath(file, open);
                    }
                }
                // Without follow there is nothing more to read; the receiver stays idle until shutdown.
                if (!_options.Follow) return;
                await Task.Delay(_options.PollInterval, _time, _stopping.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (Exception error)
        {
            // The reading task must not die silently.
            _logger.ReadLoopFailed(error);
            _host?.ReportFatalError(_id, error);
        }
        finally
        {
            foreach (var file in open.Values) file.Dispose();
        }
    }

    /// <summary>Opens files the patterns match that are not being read yet (and, once read, not again).</summary>
    private void Scan(SortedDictionary<string, TailedFile> open, HashSet<string> finished, bool firstScan)
    {
        foreach (var glob in _globs)
        {
            var paths = glob.Expand();
            if (firstScan && paths.Count == 0)
            {
                _logger.NoMatch(glob.Pattern, _options.Follow ? "; files that appear later will be read" : "");
            }
            foreach (var path in paths)
            {
                if (open.ContainsKey(path) || finished.Contains(path)) continue;
                var atEnd = firstScan && _options.StartAt == StartAt.End;
                if (atEnd && TailedFile.IsGzipPath(path))
                {
                    // A compressed file never grows, so starting at its end means it holds nothing new.
                    finished.Add(path);
                    continue;
                }
                try
                {
                    open.Add(path, TailedFile.Open(path, atEnd, MaxLineBytes));
                }
                catch (Exception error) when (error is IOException or UnauthorizedAccessException)
                {
                    ReportReadFailure(path, error);
                    if (!_options.Follow) finished.Add(path);
                }
            }
        }
    }

    /// <summary>Delivers every complete line the file has now. False when shutdown began.</summary>
    private async Task<bool> ReadAvailableAsync(TailedFile file)
    {
        while (true)
        {
            while (true)
            {
                if (_stopping.IsCancellationRequested) return false;
                var kind = file.Lines.TryTake(out var line);
                if (kind == LineKind.None) break;
                await HandleLineAsync(file, kind, line).ConfigureAwait(false);
            }
            try
            {
                if (file.Read() == 0) return true;
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                // A damaged gzip member or an I/O error: what came before it has been delivered.
                ReportReadFailure(file.Path, error);
                return true;
            }
        }
    }

    /// <summary>At the end of a file read once: a last line without newline is tried as it is.</summary>
    private async Task<bool> FinishAsync(TailedFile file)
    {
        if (_stopping.IsCancellationRequested) return false;
        var kind = file.Lines.TakeRest(out var line);
        if (kind != LineKind.None) await HandleLineAsync(file, kind, line).ConfigureAwait(false);
        return true;
    }

    private void CheckFollowedPath(TailedFile file, SortedDictionary<string, TailedFile> open)
    {
        // A partial line still waiting when its file goes away will never be completed.
        var partial = file.Lines.HasPartialLine;
        var partialLine = file.Lines.LineNumber + 1;
        switch (file.CheckPath())
        {
            case FileChange.Restarted:
                if (partial) CountCorrupt(file.Path, partialLine, "the file was truncated or replaced before the line ended");
                _logger.Restarted(file.Path);
                break;
            case FileChange.Gone:
                if (partial) CountCorrupt(file.Path, partialLine, "the file was removed before the line ended");
                open.Remove(file.Path);
                file.Dispose();
                break;
        }
    }

    private async Task HandleLineAsync(TailedFile file, LineKind kind, ReadOnlyMemory<byte> line)
    {
        var lineNumber = file.Lines.LineNumber;
        if (kind == LineKind.TooLong)
        {
            CountCorrupt(file.Path, lineNumber, $"longer than {MaxLineBytes} bytes");
            return;
        }
        if (IsBlank(line.Span)) return;
        ExportProfilesServiceRequest request;
        ProfileBatch batch;
        try
        {
            request = OtlpJson.Parse(line.Span);
            batch = OtlpToModel.ToBatch(request);
        }
        catch (OtlpFormatException error)
        {
            CountCorrupt(file.Path, lineNumber, error.Message);
            return;
        }
        await ConsumeAsync(file.Path, lineNumber, request, batch).ConfigureAwait(false);
    }

    /// <summary>Hands the batch on; a retryable refusal is retried with backoff until accepted or shutdown.</summary>
    private async Task ConsumeAsync(string path, long lineNumber, ExportProfilesServiceRequest request, ProfileBatch batch)
    {
        var samples = batch.SampleCount;
        var delay = FirstRetryDelay;
        while (true)
        {
            try
            {
                await _next.ConsumeAsync(batch, _abort.Token).ConfigureAwait(false);
                Interlocked.Increment(ref _acceptedBatches);
                Interlocked.Add(ref _acceptedSamples, samples);
                return;
            }
            catch (RetryableException)
            {
                try
                {
                    await Task.Delay(delay, _time, _stopping.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    CountFailed(samples);
                    _logger.AbandonedOnShutdown(path, lineNumber, samples);
                    return;
                }
                delay = delay * 2 < MaxRetryDelay ? delay * 2 : MaxRetryDelay;
                // The refused batch belonged to the consumer once handed over; give it a fresh one.
                batch = OtlpToModel.ToBatch(request);
            }
            catch (Exception error)
            {
                // Permanent for this batch only; the replay goes on.
                CountFailed(samples);
                if (_consumerLog.ShouldLog(out var suppressed))
                {
                    _logger.ConsumerFailed(path, lineNumber, samples, error.Message, suppressed, error);
                }
                return;
            }
        }
    }

    private static bool IsBlank(ReadOnlySpan<byte> line) => line.Trim(" \t\r"u8).IsEmpty;

    private void CountFailed(int samples)
    {
        Interlocked.Increment(ref _failedBatches);
        Interlocked.Add(ref _failedSamples, samples);
    }

    private void CountCorrupt(string path, long lineNumber, string reason)
    {
        Interlocked.Increment(ref _corruptLines);
        if (_corruptLog.ShouldLog(out var suppressed)) _logger.CorruptLine(path, lineNumber, reason, suppressed);
    }

    private void ReportReadFailure(string path, Exception error)
    {
        if (_readLog.ShouldLog(out var suppressed)) _logger.ReadFailed(path, error.Message, suppressed);
    }
}
