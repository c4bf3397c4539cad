using Collector.Core.Diagnostics;
using Collector.Core.Telemetry;
using Collector.Processors.Caching;
using Collector.Telemetry;
using Microsoft.Extensions.Logging;

namespace Collector.Processors.Symbolization;

/// <summary>
/// What the symbolizer reports: frames named by source, frames left unnamed by reason, failures to read a
/// source by reason (each logged at most once a minute per reason), and each cache's counters.
/// </summary>
internal sealed class SymbolizerTelemetry
{
    private static readonly TimeSpan LogInterval = TimeSpan.FromMinutes(1);

    private readonly ComponentTelemetry _telemetry;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, (TelemetryCounter Counter, LogThrottle Throttle)> _failures = new(StringComparer.Ordinal);
    private readonly TelemetryCounter[] _resolved;
    private readonly TelemetryCounter[] _unresolved;
    private readonly Lock _gate = new();

    public SymbolizerTelemetry(ComponentTelemetry telemetry, ILogger logger, TimeProvider time)
    {
        _telemetry = telemetry;
        _logger = logger;
        _time = time;
        _resolved = [.. Enum.GetValues<SymbolSource>().Select(source =>
            telemetry.Counter(SymbolizationMetrics.SymbolizedFrames, (SymbolizationMetrics.SourceLabel, source.Label())))];
        _unresolved = [.. Enum.GetValues<UnresolvedReason>().Select(reason =>
            telemetry.Counter(ProfilerMetrics.UnnamedFrames, (SymbolizationMetrics.ReasonLabel, reason.Label())))];
    }

    /// <summary>Failures to read a source so far, by reason (for tests and the shutdown summary).</summary>
    public Dictionary<string, long> FailureCounts { get; } = new(StringComparer.Ordinal);

    public long[] ResolvedCounts { get; } = new long[Enum.GetValues<SymbolSource>().Length];

    public long[] UnresolvedCounts { get; } = new long[Enum.GetValues<UnresolvedReason>().Length];

    public void Resolved(SymbolSource source)
    {
        ResolvedCounts[(int)source]++;
        _resolved[(int)source].Add(1);
    }

    public void Unresolved(UnresolvedReason reason)
    {
        UnresolvedCounts[(int)reason]++;
        _unresolved[(int)reason].Add(1);
    }

    /// <summary>Counts a failure to read a source; logs it unless <paramref name="log"/> is false (the caller reports it its own way).</summary>
    public void ReadFailed(string reason, string path, string detail, long count = 1, bool log = true)
    {
        (TelemetryCounter Counter, LogThrottle Throttle) failure;
        lock (_gate)
        {
            if (!_failures.TryGetValue(reason, out failure))
            {
                failure = (_telemetry.Counter(SymbolizationMetrics.SymbolReadFailures, (SymbolizationMetrics.ReasonLabel, reason)), new LogThrottle(_time, LogInterval));
                _failures.Add(reason, failure);
            }
            FailureCounts[reason] = FailureCounts.GetValueOrDefault(reason) + count;
        }
        failure.Counter.Add(count);
        if (log && failure.Throttle.ShouldLog(out var suppressed)) _logger.ReadFailed(path, reason, detail, suppressed);
    }

    public void KernelAddressesHidden(string path) => _logger.KernelAddressesHidden(path);

    /// <summary>The totals, once, when the processor stops.</summary>
    public void LogSummary(string perfMapRequests = "none")
    {
        string failures;
        lock (_gate) failures = Describe(FailureCounts.Select(f => (f.Key, f.Value)));
        _logger.Stopped(
            Describe(Enum.GetValues<SymbolSource>().Select(source => (source.Label(), ResolvedCounts[(int)source]))),
            Describe(Enum.GetValues<UnresolvedReason>().Select(reason => (reason.Label(), UnresolvedCounts[(int)reason]))),
            failures,
            perfMapRequests);
    }

    private static string Describe(IEnumerable<(string Name, long Count)> counts)
    {
        var text = string.Join(", ", counts.Where(c => c.Count > 0).Select(c => $"{c.Name} {c.Count}"));
        return text.Length == 0 ? "none" : text;
    }

    public void ObserveCache<TKey, TValue>(string name, SlidingCache<TKey, TValue> cache)
        where TKey : notnull
    {
        var label = (ProfilerMetrics.CacheLabel, name);
        _telemetry.ObservableCounter(ProfilerMetrics.SymbolCacheHits, () => cache.Hits, label);
        _telemetry.ObservableCounter(ProfilerMetrics.SymbolCacheMisses, () => cache.Misses, label);
        _telemetry.ObservableCounter(ProfilerMetrics.SymbolCacheEvictions, () => cache.Evictions, label, (SymbolizationMetrics.ReasonLabel, "capacity"));
        _telemetry.ObservableCounter(ProfilerMetrics.SymbolCacheEvictions, () => cache.Expirations, label, (SymbolizationMetrics.ReasonLabel, "expired"));
        _telemetry.ObservableGauge(ProfilerMetrics.SymbolCacheEntries, () => cache.Count, label);
    }
}
