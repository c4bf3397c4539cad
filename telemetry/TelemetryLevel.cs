namespace Collector.Telemetry;

/// <summary>
/// <c>service.telemetry.metrics.level</c>: how much the collector says about itself. Each level includes the
/// ones before it; a metric is produced only when its own level is at or below the configured one.
/// </summary>
public enum TelemetryLevel
{
    /// <summary>No metrics at all, and no endpoint.</summary>
    None,

    /// <summary>The process and what crosses the collector's edges: receivers' and exporters' sample counts, queues.</summary>
    Basic,

    /// <summary>The default: also processors' item counts and every component's own metrics.</summary>
    Normal,

    /// <summary>Also the .NET runtime's internals (garbage collections, thread pool).</summary>
    Detailed,
}

public static class TelemetryLevels
{
    /// <summary>Reads the config layer's spelling (<c>none</c>, <c>basic</c>, <c>normal</c>, <c>detailed</c>).</summary>
    public static TelemetryLevel Parse(string level) => level.ToLowerInvariant() switch
    {
        "none" => TelemetryLevel.None,
        "basic" => TelemetryLevel.Basic,
        "normal" => TelemetryLevel.Normal,
        "detailed" => TelemetryLevel.Detailed,
        _ => throw new ArgumentException($"unknown metrics level \"{level}\": use none, basic, normal or detailed", nameof(level)),
    };
}
