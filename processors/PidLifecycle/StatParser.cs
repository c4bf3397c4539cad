using System.Globalization;

namespace Collector.Processors.PidLifecycle;

/// <summary>
/// Field 22 (<c>starttime</c>) of <c>/proc/&lt;pid&gt;/stat</c>, in clock ticks since boot. Fields are counted
/// after the parenthesised comm, which may itself hold spaces and parentheses.
/// (receiver/Ebpf/ProcFs has the same parse; the integrator may keep one of the two.)
/// </summary>
internal static class StatParser
{
    /// <summary>USER_HZ: the kernel reports times in /proc in 1/100 s on every architecture Linux supports today.</summary>
    public const ulong TicksPerSecond = 100;

    public const ulong NanosPerTick = 1_000_000_000 / TicksPerSecond;

    public static bool TryParseStartTicks(ReadOnlySpan<char> stat, out ulong ticks)
    {
        ticks = 0;
        var close = stat.LastIndexOf(')');
        if (close < 0) return false;
        var afterComm = stat[(close + 1)..].Trim();
        var field = 3;
        foreach (var range in afterComm.Split(' '))
        {
            if (field++ == 22)
            {
                return ulong.TryParse(afterComm[range], NumberStyles.None, CultureInfo.InvariantCulture, out ticks);
            }
        }
        return false;
    }

    /// <summary>A CLOCK_BOOTTIME start in nanoseconds at /proc's resolution (the kernel truncates the same way).</summary>
    public static ulong ToTicks(ulong bootTimeNanos) => bootTimeNanos / NanosPerTick;
}
