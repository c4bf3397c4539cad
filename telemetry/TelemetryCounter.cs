using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Collector.Telemetry;

/// <summary>
/// A counter already labelled with its component (and any labels given when it was made), so the hot path is
/// one <see cref="Add"/>: no tag list is built and nothing is allocated per call. When the metric's level is
/// above the configured one the counter is inert and <see cref="Add"/> does nothing.
/// </summary>
public sealed class TelemetryCounter
{
    private readonly Counter<long>? _counter;
    // Not readonly: passed by reference to the instrument, which must not get a defensive copy per call.
    private TagList _tags;

    public TelemetryCounter(Counter<long>? counter, TagList tags)
    {
        _counter = counter;
        _tags = tags;
        // The series exists at zero from the start, so rate() and alerts see it before the first event.
        _counter?.Add(0, in _tags);
    }

    /// <summary>True when the configured level produces this metric.</summary>
    public bool Enabled => _counter is not null;

    public void Add(long value)
    {
        if (value != 0) _counter?.Add(value, in _tags);
    }
}
