using Collector.Core.Components;
using Collector.Core.Helpers;
using Collector.Core.Model;
using Collector.Protocol.Http;
using Collector.Telemetry.Exposition;
using Microsoft.Extensions.Logging;

namespace Collector.Exporters.Prometheus;

/// <summary>
/// Turns profiles into the counter <c>profile_cpu_seconds_total</c> (self CPU time of the leaf function, with
/// the configured labels) and serves it for Prometheus to scrape, in the same exposition formats as the
/// collector's own metrics. Everything is counted in <c>ConsumeAsync</c>; the endpoint only reads.
/// </summary>
public sealed class PrometheusExporter : ExporterBase, IMetricsSource
{
    public const string MetricName = "profile_cpu_seconds";

    private const string Help = "CPU time sampled while the labelled function was the leaf frame (self time), from profiles.";

    private readonly PrometheusExporterOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly CpuTimeAccumulator _accumulator;
    private readonly CpuTimeSeries _series;
    private readonly Lock _gate = new();
    private HttpEndpoint? _endpoint;
    private long _skippedSamples;

    public PrometheusExporter(ComponentCreateSettings settings, PrometheusExporterOptions options)
        : base(settings)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _loggerFactory = settings.LoggerFactory;
        _accumulator = new CpuTimeAccumulator(new HashSet<string>(options.Labels, StringComparer.Ordinal));
        _series = new CpuTimeSeries(options.MaxSeries, options.TopFunctionsPerProcess, options.SeriesTtl, settings.TimeProvider);
        settings.Telemetry.ObservableGauge(PrometheusExporterMetrics.Series, () => _series.Count);
        settings.Telemetry.ObservableCounter(PrometheusExporterMetrics.ExpiredSeries, () => _series.ExpiredSeries);
        settings.Telemetry.ObservableCounter(PrometheusExporterMetrics.DroppedCpu, () => _series.DroppedSeconds);
        settings.Telemetry.ObservableCounter(PrometheusExporterMetrics.SkippedSamples, () => Interlocked.Read(ref _skippedSamples));
    }

    /// <summary>Where it listens once started (a configured port 0 shows the one picked).</summary>
    public IReadOnlyList<string> Addresses => _endpoint?.Addresses ?? [];

    /// <summary>Series currently held, for tests of the cardinality bounds.</summary>
    internal int SeriesCount => _series.Count;

    internal double DroppedSeconds => _series.DroppedSeconds;

    protected override async Task OnStartAsync(IComponentHost host, CancellationToken cancellationToken)
    {
        var endpoint = await MetricsEndpoint.StartAsync(ListenAddress.Parse(_options.Endpoint), this, _loggerFactory, cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            // A shutdown while the endpoint was starting found nothing to stop: this one is stopped here.
            if (!Lifecycle.IsStopped)
            {
                _endpoint = endpoint;
                PrometheusExporterLog.Serving(Logger, string.Join(", ", endpoint.Addresses.Select(a => a + MetricsEndpoint.Path)));
                return;
            }
        }
        await endpoint.DisposeAsync().ConfigureAwait(false);
    }

    protected override ValueTask ExportAsync(ProfileBatch batch, CancellationToken cancellationToken)
    {
        var (seconds, skipped) = _accumulator.Accumulate(batch);
        if (skipped > 0) Interlocked.Add(ref _skippedSamples, skipped);
        if (seconds.Count > 0) _series.Add(seconds);
        return ValueTask.CompletedTask;
    }

    protected override async Task OnShutdownAsync(CancellationToken cancellationToken)
    {
        HttpEndpoint? endpoint;
        lock (_gate)
        {
            endpoint = _endpoint;
            _endpoint = null;
        }
        if (endpoint is not null) await endpoint.DisposeAsync().ConfigureAwait(false);
    }

    public IReadOnlyList<MetricFamily> Collect()
    {
        var snapshot = _series.Snapshot();
        if (snapshot.Count == 0) return [];
        var series = new List<MetricSeries>(snapshot.Count);
        foreach (var (key, seconds) in snapshot)
        {
            var labels = new MetricLabel[_options.Labels.Count];
            for (var i = 0; i < labels.Length; i++) labels[i] = new MetricLabel(_options.Labels[i], key.Value(_options.Labels[i]));
            series.Add(new MetricSeries(labels, seconds));
        }
        return [new MetricFamily(MetricName, MetricType.Counter, Help, "seconds", series)];
    }
}
