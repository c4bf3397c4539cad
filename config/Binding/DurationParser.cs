using System.Globalization;

namespace Collector.Config.Binding;

/// <summary>
/// Parses Go duration strings, the form every Collector config uses: a sign, then one or more decimal numbers
/// each with a unit (<c>5s</c>, <c>200ms</c>, <c>1m30s</c>, <c>1.5h</c>). Units are ns, us (or µs), ms, s, m
/// and h. A bare <c>0</c> is allowed; any other number without a unit is not, because <c>timeout: 5</c> is
/// ambiguous. TimeSpan counts 100 ns ticks, so finer parts are truncated.
/// </summary>
internal static class DurationParser
{
    private const decimal NanosecondsPerTick = 100m;

    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var s = text.AsSpan().Trim();
        var negative = false;
        if (s.Length > 0 && s[0] is '+' or '-')
        {
            negative = s[0] == '-';
            s = s[1..];
        }
        if (s is "0")
        {
            return true;
        }
        if (s.IsEmpty)
        {
            return false;
        }

        var nanoseconds = 0m;
        while (!s.IsEmpty)
        {
            var numberLength = s.IndexOfAnyExcept("0123456789.");
            if (numberLength <= 0)
            {
                return false;
            }
            var number = s[..numberLength];
            s = s[numberLength..];
            var unitLength = s.IndexOfAny("0123456789.");
            var unit = unitLength < 0 ? s : s[..unitLength];
            s = unitLength < 0 ? [] : s[unitLength..];

            if (number is "." || !decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
                || UnitNanoseconds(unit) is not { } scale)
            {
                return false;
            }
            try
            {
                nanoseconds += value * scale;
            }
            catch (OverflowException)
            {
                return false;
            }
        }

        var ticks = decimal.Truncate(nanoseconds / NanosecondsPerTick);
        if (ticks > TimeSpan.MaxValue.Ticks)
        {
            return false;
        }
        duration = TimeSpan.FromTicks(negative ? -(long)ticks : (long)ticks);
        return true;
    }

    /// <summary>True for text such as <c>5</c> or <c>1.5</c>: a number that only lacks its unit.</summary>
    public static bool IsBareNumber(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    private static decimal? UnitNanoseconds(ReadOnlySpan<char> unit) => unit switch
    {
        "ns" => 1m,
        // Go accepts the micro sign (U+00B5) and the Greek mu (U+03BC) alike.
        "us" or "µs" or "μs" => 1_000m,
        "ms" => 1_000_000m,
        "s" => 1_000_000_000m,
        "m" => 60_000_000_000m,
        "h" => 3_600_000_000_000m,
        _ => null,
    };
}
