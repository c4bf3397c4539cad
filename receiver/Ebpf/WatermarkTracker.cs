namespace Collector.Receivers.Ebpf;

/// <summary>
/// Computes the watermark: a kernel time below which every sample and event has been delivered downstream.
/// <para>A record can still be on its way when a poll starts: its program read the clock but had not committed
/// it to the ring buffer yet. Programs run for microseconds, so anything stamped more than <c>margin</c> before
/// the poll started has been consumed by that poll. Samples the receiver itself holds back for the report
/// interval are not delivered either, so the watermark may not pass the oldest of them. It never goes back.</para>
/// </summary>
internal sealed class WatermarkTracker(TimeSpan margin)
{
    private readonly ulong _marginNanos = (ulong)margin.Ticks * 100;

    /// <summary>The last watermark handed out, or null before the first.</summary>
    public ulong? Published { get; private set; }

    /// <summary>
    /// The next watermark, given the kernel time read just before the poll that consumed everything now known,
    /// and the kernel time of the oldest sample still held back (null when none is).
    /// </summary>
    public ulong Next(ulong pollStartKtime, ulong? oldestHeldKtime)
    {
        var candidate = pollStartKtime > _marginNanos ? pollStartKtime - _marginNanos : 0;
        if (oldestHeldKtime is { } held && held < candidate)
        {
            candidate = held;
        }
        var next = Math.Max(candidate, Published ?? 0);
        Published = next;
        return next;
    }

    /// <summary>A record stamped before the published watermark arrived too late to keep the promise.</summary>
    public bool IsLate(ulong ktime) => ktime < (Published ?? 0);
}
