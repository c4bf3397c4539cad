using Collector.Core.Components;
using Collector.Core.Diagnostics;
using Collector.Core.Extensions;
using Collector.Core.Helpers;
using Collector.Core.Model;
using Collector.Core.Telemetry.Pipeline;
using Collector.Exporters.Sending;
using Collector.Exporters.Sending.Persistent;
using Microsoft.Extensions.Logging;

namespace Collector.Exporters.Otlp;

/// <summary>
/// An OTLP exporter (<c>otlp_grpc</c> or <c>otlp_http</c>; the protocol is the client's business). Each batch is
/// encoded at once, on the caller's thread, into one or more self-contained requests of at most
/// <c>max_request_size</c> bytes.
/// <list type="bullet">
/// <item>With the sending queue (the default) the requests enter a bounded queue and
/// <see cref="ExportAsync"/> returns; <c>num_consumers</c> workers send them with retries. A full queue refuses
/// the batch with <see cref="RetryableException"/> straight away: backpressure, never an unbounded wait or
/// buffer. With <c>storage</c>, each request is on disk (fsynced) before ConsumeAsync returns, and what is on
/// disk at start is sent first.</item>
/// <item>Without the queue, ConsumeAsync sends (with retries) and fails as the send failed: a permanent refusal as
/// <see cref="ExportFailedException"/>, exhausted retries as <see cref="RetryableException"/>.</item>
/// </list>
/// Shutdown drains the queue within the time the token allows; what remains is counted and logged as lost, or
/// with a persistent queue, left on disk for the next start.
/// </summary>
public sealed class OtlpExporter : ExporterBase
{
    private readonly ComponentCreateSettings _settings;
    private readonly OtlpExporterOptions _options;
    private readonly Func<ExporterCounters, IExportClient> _createClient;
    private readonly RequestSplitter _splitter;
    private readonly ExporterCounters _counters;
    private readonly ILogger _logger;
    private readonly LogThrottle _refusalLog;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private IExportClient? _client;
    private Delivery? _delivery;
    private RequestQueue? _queue;
    private QueueConsumers? _consumers;
    private volatile bool _started;

    internal OtlpExporter(ComponentCreateSettings settings, OtlpExporterOptions options, RequestEncoding encoding, Func<ExporterCounters, IExportClient> createClient)
        : base(settings)
    {
        ArgumentNullException.ThrowIfNull(options);
        _settings = settings;
        _options = options;
        _createClient = createClient;
        _splitter = new RequestSplitter(encoding, options.MaxRequestSize);
        _logger = settings.CreateLogger();
        _refusalLog = new LogThrottle(settings.TimeProvider, TimeSpan.FromSeconds(10));
        var outcomes = settings.Telemetry.ExporterOutcomes;
        _counters = new ExporterCounters(outcomes);
        if (options.SendingQueue.Enabled) outcomes.ObserveQueue(() => QueueSize, () => QueueCapacity);
        settings.Telemetry.ObservableCounter(OtlpExporterMetrics.PartialSuccessRejected, () => PartialSuccessRejected);
        settings.Telemetry.ObservableCounter(OtlpExporterMetrics.RequestBytesSent, () => RequestBytesSent);
        if (options.SendingQueue is { Enabled: true, Storage: not null }) settings.Telemetry.ObservableCounter(OtlpExporterMetrics.CorruptRecords, () => CorruptRecords);
    }

    /// <summary>Samples the server accepted (<c>otelcol_exporter_sent_profile_samples</c>).</summary>
    public long SentSamples => _counters.SentSamples;

    /// <summary>Requests the server accepted.</summary>
    public long SentRequests => _counters.SentRequests;

    /// <summary>Samples dropped after being accepted into the exporter (<c>otelcol_exporter_send_failed_profile_samples</c>).</summary>
    public long SendFailedSamples => _counters.SendFailedSamples;

    /// <summary>Samples refused at the door, queue full (<c>otelcol_exporter_enqueue_failed_profile_samples</c>).</summary>
    public long EnqueueFailedSamples => _counters.EnqueueFailedSamples;

    /// <summary>Requests waiting in the sending queue (<c>otelcol_exporter_queue_size</c>).</summary>
    public int QueueSize => _queue?.Count ?? 0;

    /// <summary><c>queue_size</c>, or 0 without a queue (<c>otelcol_exporter_queue_capacity</c>).</summary>
    public int QueueCapacity => _options.SendingQueue.Enabled ? _options.SendingQueue.QueueSize : 0;

    /// <summary>Sum of <c>partial_success.rejected_profiles</c> the server reported.</summary>
    public long PartialSuccessRejected => _counters.PartialSuccessRejected;

    /// <summary>Request bytes put on the wire, compressed, every attempt counted.</summary>
    public long RequestBytesSent => _counters.RequestBytesSent;

    /// <summary>Records of the persistent queue found damaged and skipped.</summary>
    public int CorruptRecords => _queue?.Store?.Corrupt ?? 0;

    /// <summary>It queues: what was sent, failed or refused is known only later, and recorded then.</summary>
    protected override bool ReportsOwnOutcomes => true;

    protected override Task OnStartAsync(IComponentHost host, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        lock (_gate)
        {
            var queueOptions = _options.SendingQueue;
            // Resolve the storage first: a missing extension fails the start before any connection is made.
            var store = queueOptions.Enabled && queueOptions.Storage is { } storage ? OpenStore(host, storage) : null;
            var client = _createClient(_counters);
            var sender = new RetryingSender(client, _options.RetryOnFailure, _settings.TimeProvider, _logger);
            _client = client;
            _delivery = new Delivery(sender, _counters, _settings.TimeProvider, _logger);
            if (queueOptions.Enabled)
            {
                _queue = new RequestQueue(queueOptions.QueueSize, store);
                if (store is not null && (_queue.Count > 0 || store.Corrupt > 0))
                {
                    _logger.Recovered(store.Location, _queue.Count, _queue.RecoveredSamples, store.Corrupt);
                }
                _consumers = new QueueConsumers(_queue, _delivery, _counters, _logger);
                _consumers.Start(queueOptions.NumConsumers);
            }
            _started = true;
        }
        return Task.CompletedTask;
    }

    protected override async ValueTask ExportAsync(ProfileBatch batch, CancellationToken cancellationToken)
    {
        if (!_started) throw new InvalidOperationException($"exporter {_settings.Id} has not started");

        var requests = _splitter.Split(batch);
        if (_queue is not null)
        {
            Enqueue(requests);
            return;
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        foreach (var request in requests)
        {
            var result = await _delivery!.SendAsync(request, linked.Token).ConfigureAwait(false);
            switch (result.Outcome)
            {
                case SendOutcome.Permanent:
                    throw result.Error!;
                case SendOutcome.GaveUp:
                    throw new RetryableException($"exporter {_settings.Id}: {result.Error!.Message}", result.Error);
            }
        }
    }

    protected override async Task OnShutdownAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_started) return;
        }

        if (_consumers is not null)
        {
            await _consumers.DrainAsync(cancellationToken).ConfigureAwait(false);
            ReportUnsent([.. _queue!.TakeRemaining(), .. _consumers.Abandoned]);
        }
        await _stopping.CancelAsync().ConfigureAwait(false);
        _client?.Dispose();
    }

    private IRequestStore OpenStore(IComponentHost host, string storage)
    {
        var id = ComponentId.Parse(storage);
        if (host.GetExtension(id) is not IStorageExtension extension)
        {
            throw new InvalidOperationException(
                $"sending_queue::storage names \"{storage}\", which is not a storage extension (such as file_storage) listed in service.extensions");
        }
        return new DiskRequestStore(extension.DirectoryFor(_settings.Kind, _settings.Id), _logger);
    }

    private void Enqueue(List<ExportRequest> requests)
    {
        var samples = requests.Sum(r => r.Samples);
        bool accepted;
        try
        {
            accepted = _queue!.TryEnqueue(requests);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            _counters.EnqueueFailed(samples);
            _logger.StoreFailed(_queue!.Store!.Location, samples, error.Message, error);
            throw new RetryableException($"exporter {_settings.Id}: the persistent queue could not store the batch: {error.Message}", error);
        }
        if (accepted) return;
        _counters.EnqueueFailed(samples);
        if (_refusalLog.ShouldLog(out var suppressed)) _logger.QueueFull(_queue.Capacity, samples, suppressed);
        throw new RetryableException($"exporter {_settings.Id}: sending queue is full ({_queue.Capacity} requests)");
    }

    private void ReportUnsent(List<QueueEntry> unsent)
    {
        if (unsent.Count == 0) return;
        long samples = unsent.Sum(e => e.Samples);
        if (_queue!.Store is { } store)
        {
            _logger.KeptOnDisk(unsent.Count, samples, store.Location);
            return;
        }
        _counters.SendFailed(samples, new OperationCanceledException("shutdown ran out of time"));
        _logger.LostOnShutdown(unsent.Count, samples);
    }
}
