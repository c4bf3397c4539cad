namespace Collector.Exporters.Debug;

/// <summary>How much the debug exporter prints per batch.</summary>
public enum DebugVerbosity
{
    /// <summary>One line: samples, processes, resources.</summary>
    Basic,

    /// <summary>The line plus the ten functions with the most self samples.</summary>
    Normal,

    /// <summary>The summary plus every resource, profile, sample and frame.</summary>
    Detailed,
}
