using Collector.Core.Components;

namespace Collector.Config.Sections;

/// <summary>
/// The YAML shape of <c>service::telemetry</c>, bound by the same binder as component options so it gets the
/// same unknown-key and type errors. Only what <see cref="Collector.Core.Pipeline.TelemetrySettings"/> can
/// carry is accepted; anything else the Collector knows here is an unknown key rather than silently ignored.
/// </summary>
internal sealed class TelemetryOptions : IComponentOptions
{
    private const string PrometheusPath = "metrics::readers::0::pull::exporter::prometheus";

    public TelemetryLogsOptions Logs { get; set; } = new();

    public TelemetryMetricsOptions Metrics { get; set; } = new();

    /// <summary>The one Prometheus endpoint the readers describe, or null when they are left out.</summary>
    public PrometheusReaderOptions? Prometheus => Metrics.Readers is [{ Pull.Exporter.Prometheus: { } prometheus }] ? prometheus : null;

    public IEnumerable<OptionsError> Validate()
    {
        if (Metrics.Level == TelemetryMetricsLevel.None || Metrics.Readers is null)
        {
            yield break;
        }
        if (Metrics.Readers.Count != 1)
        {
            yield return new("metrics::readers", "exactly one reader is supported: a pull reader with a prometheus exporter");
            yield break;
        }
        if (Prometheus is not { } prometheus)
        {
            yield return new("metrics::readers::0", "only a pull reader with a prometheus exporter is supported, as in {pull: {exporter: {prometheus: {host: localhost, port: 8888}}}}");
            yield break;
        }
        if (string.IsNullOrWhiteSpace(prometheus.Host))
        {
            yield return new($"{PrometheusPath}::host", "must not be empty");
        }
        if (prometheus.Port is < 1 or > 65535)
        {
            yield return new($"{PrometheusPath}::port", "must be between 1 and 65535");
        }
    }
}

internal sealed class TelemetryLogsOptions
{
    public TelemetryLogLevel Level { get; set; } = TelemetryLogLevel.Info;
}

internal enum TelemetryLogLevel
{
    Debug,
    Info,
    Warn,
    Error,
}

internal sealed class TelemetryMetricsOptions
{
    public TelemetryMetricsLevel Level { get; set; } = TelemetryMetricsLevel.Normal;

    /// <summary>Null when left out: the default endpoint, localhost:8888.</summary>
    public List<MetricReaderOptions>? Readers { get; set; }
}

internal enum TelemetryMetricsLevel
{
    None,
    Basic,
    Normal,
    Detailed,
}

internal sealed class MetricReaderOptions
{
    public PullReaderOptions? Pull { get; set; }
}

internal sealed class PullReaderOptions
{
    public PullExporterOptions? Exporter { get; set; }
}

internal sealed class PullExporterOptions
{
    public PrometheusReaderOptions? Prometheus { get; set; }
}

internal sealed class PrometheusReaderOptions
{
    public string Host { get; set; } = "localhost";

    public int Port { get; set; } = 8888;
}
