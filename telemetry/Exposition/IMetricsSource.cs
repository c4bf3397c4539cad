namespace Collector.Telemetry.Exposition;

/// <summary>Something a metrics endpoint can scrape: it produces the current families on each call.</summary>
public interface IMetricsSource
{
    /// <summary>Called once per scrape, possibly concurrently with the component's own work; must be thread-safe.</summary>
    IReadOnlyList<MetricFamily> Collect();
}
