using System.Globalization;

namespace Collector.Protocol.Grpc;

/// <summary>
/// The <c>grpc-timeout</c> header: 1 to 8 ASCII digits and a unit, <c>H</c> hours, <c>M</c> minutes,
/// <c>S</c> seconds, <c>m</c> milliseconds, <c>u</c> microseconds, <c>n</c> nanoseconds.
/// </summary>
public static class GrpcTimeout
{
    private const long MaxValue = 99_999_999;

    // Ticks (100 ns) per unit, finest first; nanoseconds are handled apart because they are below one tick.
    private static readonly (char Unit, long Ticks)[] Units =
    [
        ('u', 10),
        ('m', TimeSpan.TicksPerMillisecond),
        ('S', TimeSpan.TicksPerSecond),
        ('M', TimeSpan.TicksPerMinute),
        ('H', TimeSpan.TicksPerHour),
    ];

    /// <summary>False for anything but the grammar above. Nanoseconds round up to whole ticks so a timeout never shrinks to zero.</summary>
    public static bool TryParse(string? value, out TimeSpan timeout)
    {
        timeout = default;
        if (value is null || value.Length is < 2 or > 9) return false;
        var digits = value.AsSpan(0, value.Length - 1);
        foreach (var c in digits)
        {
            if (c is < '0' or > '9') return false;
        }
        var number = long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
        var unit = value[^1];
        if (unit == 'n')
        {
            timeout = TimeSpan.FromTicks((number + 99) / 100);
            return true;
        }
        foreach (var (name, ticks) in Units)
        {
            if (name != unit) continue;
            timeout = TimeSpan.FromTicks(number * ticks);
            return true;
        }
        return false;
    }

    /// <summary>
    /// The finest unit whose value fits in 8 digits, rounded up so the peer never sees a shorter deadline than
    /// ours. Zero or negative timeouts become <c>0n</c> (already expired); very long ones are capped at 99999999H.
    /// </summary>
    public static string Format(TimeSpan timeout)
    {
        var ticks = timeout.Ticks;
        if (ticks <= 0) return "0n";
        if (ticks <= MaxValue / 100) return (ticks * 100).ToString(CultureInfo.InvariantCulture) + "n";
        foreach (var (unit, unitTicks) in Units)
        {
            var value = ticks / unitTicks + (ticks % unitTicks == 0 ? 0 : 1);
            if (value <= MaxValue) return value.ToString(CultureInfo.InvariantCulture) + unit;
        }
        return MaxValue.ToString(CultureInfo.InvariantCulture) + "H";
    }
}
