using Collector.Bpf.Native;

namespace Collector.Bpf;

/// <summary>The kernel clocks records are stamped with, and how to turn them into wall-clock time.</summary>
public static class KernelClock
{
    /// <summary>CLOCK_MONOTONIC now, the clock of <c>bpf_ktime_get_ns()</c> and of every record's ktime.</summary>
    public static ulong MonotonicNanos() => Clocks.Nanoseconds(Clocks.Monotonic);

    /// <summary>CLOCK_BOOTTIME now, the clock of process start times.</summary>
    public static ulong BoottimeNanos() => Clocks.Nanoseconds(Clocks.Boottime);

    /// <summary>
    /// Unix time at monotonic zero (realtime − monotonic), so that unix = this + ktime. The realtime read is
    /// bracketed by two monotonic reads and the tightest of a few tries is kept, which bounds the error by
    /// the bracket's width (typically well under a microsecond).
    /// </summary>
    public static ulong BootTimeUnixNanos()
    {
        ulong best = 0, narrowest = ulong.MaxValue;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var before = Clocks.Nanoseconds(Clocks.Monotonic);
            var realtime = Clocks.Nanoseconds(Clocks.Realtime);
            var after = Clocks.Nanoseconds(Clocks.Monotonic);
            if (after - before < narrowest)
            {
                narrowest = after - before;
                best = realtime - (before + (after - before) / 2);
            }
        }
        return best;
    }
}
