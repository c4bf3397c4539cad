using System.Globalization;
using System.Text;

namespace Collector.Extensions.HealthCheck;

/// <summary>
/// Writes a duration as Go's <c>time.Duration.String()</c> does (<c>1h2m3.5s</c>, <c>2m0s</c>, <c>1.5ms</c>),
/// because the Collector's health check reports its uptime that way and scripts parse it.
/// </summary>
internal static class GoDuration
{
    private const long NanosPerMicro = 1_000, NanosPerMilli = 1_000_000, NanosPerSecond = 1_000_000_000;
    private const long NanosPerMinute = 60 * NanosPerSecond, NanosPerHour = 60 * NanosPerMinute;

    public static string Format(TimeSpan duration)
    {
        var nanos = duration.Ticks * 100;
        if (nanos == 0) return "0s";
        var text = new StringBuilder();
        if (nanos < 0)
        {
            text.Append('-');
            nanos = -nanos;
        }
        if (nanos < NanosPerMicro) return text.Append(nanos.ToString(CultureInfo.InvariantCulture)).Append("ns").ToString();
        if (nanos < NanosPerMilli) return AppendDecimal(text, nanos, 3).Append("µs").ToString();
        if (nanos < NanosPerSecond) return AppendDecimal(text, nanos, 6).Append("ms").ToString();
        var hours = nanos / NanosPerHour;
        var minutes = nanos % NanosPerHour / NanosPerMinute;
        if (hours > 0) text.Append(hours.ToString(CultureInfo.InvariantCulture)).Append('h');
        if (hours > 0 || minutes > 0) text.Append(minutes.ToString(CultureInfo.InvariantCulture)).Append('m');
        return AppendDecimal(text, nanos % NanosPerMinute, 9).Append('s').ToString();
    }

    /// <summary><paramref name="value"/> / 10^<paramref name="digits"/>, with trailing zeros (and a bare point) left out.</summary>
    private static StringBuilder AppendDecimal(StringBuilder text, long value, int digits)
    {
        var scale = (long)Math.Pow(10, digits);
        text.Append((value / scale).ToString(CultureInfo.InvariantCulture));
        var fraction = value % scale;
        if (fraction == 0) return text;
        return text.Append('.').Append(fraction.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0').TrimEnd('0'));
    }
}
