using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Collector.Telemetry;

/// <summary>
/// The collector process as the Collector's <c>otelcol_process_*</c> metrics describe it, read when scraped.
/// The Collector's runtime metrics describe Go's heap; ours describe the .NET garbage-collected heap.
/// </summary>
public static class ProcessMetrics
{
    public static void Register(Meter meter, TelemetryLevel level, TimeProvider time)
    {
        DateTimeOffset started;
        using (var process = Process.GetCurrentProcess()) started = process.StartTime.ToUniversalTime();

        Observe(meter, level, CollectorMetrics.ProcessUptime, () => Math.Max(0, (time.GetUtcNow() - started).TotalSeconds));
        Observe(meter, level, CollectorMetrics.ProcessCpuSeconds, () => Environment.CpuUsage.TotalTime.TotalSeconds);
        Observe(meter, level, CollectorMetrics.ProcessMemoryRss, () => Environment.WorkingSet);
        Observe(meter, level, CollectorMetrics.ProcessRuntimeHeapAlloc, () => GC.GetTotalMemory(forceFullCollection: false));
        Observe(meter, level, CollectorMetrics.ProcessRuntimeTotalAlloc, () => GC.GetTotalAllocatedBytes(precise: false));
        Observe(meter, level, CollectorMetrics.ProcessRuntimeTotalSysMemory, () => GC.GetGCMemoryInfo().TotalCommittedBytes);
        Observe(meter, level, ProfilerMetrics.ProcessRuntimeThreadPoolQueueLength, () => ThreadPool.PendingWorkItemCount);
        if (ProfilerMetrics.ProcessRuntimeGcCollections.Level <= level)
        {
            var metric = ProfilerMetrics.ProcessRuntimeGcCollections;
            meter.CreateObservableCounter(metric.Name, GcCollections, metric.Unit, metric.Description);
        }
    }

    private static void Observe(Meter meter, TelemetryLevel level, MetricDefinition metric, Func<double> read)
    {
        if (metric.Level > level) return;
        if (metric.Type == Exposition.MetricType.Counter) meter.CreateObservableCounter(metric.Name, read, metric.Unit, metric.Description);
        else meter.CreateObservableGauge(metric.Name, read, metric.Unit, metric.Description);
    }

    private static IEnumerable<Measurement<long>> GcCollections()
    {
        for (var generation = 0; generation <= GC.MaxGeneration; generation++)
        {
            yield return new Measurement<long>(GC.CollectionCount(generation), new KeyValuePair<string, object?>("generation", generation.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
    }
}
