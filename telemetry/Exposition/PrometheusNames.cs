using System.Text;

namespace Collector.Telemetry.Exposition;

/// <summary>
/// Prometheus naming rules applied to instrument names and units, as the OpenTelemetry Prometheus exporter does
/// without <c>without_units</c>/<c>without_type_suffix</c>: invalid characters become <c>_</c>, the unit word is
/// appended unless the name already ends with it, and counters get <c>_total</c> from the writer (so a name
/// handed in with <c>_total</c> loses it here). <c>otelcol_process_uptime</c> in seconds becomes the family
/// <c>otelcol_process_uptime_seconds</c>, sampled as <c>otelcol_process_uptime_seconds_total</c>.
/// </summary>
public static class PrometheusNames
{
    /// <summary>The family name for an instrument name and UCUM unit.</summary>
    public static string Family(string name, string unit, MetricType type)
    {
        var family = Sanitize(name, allowColon: true);
        if (type == MetricType.Counter && family.EndsWith("_total", StringComparison.Ordinal)) family = family[..^"_total".Length];
        var word = UnitWord(unit);
        if (word.Length > 0 && !family.EndsWith("_" + word, StringComparison.Ordinal)) family += "_" + word;
        return family;
    }

    /// <summary>
    /// The Prometheus unit word for a UCUM unit: <c>s</c> → <c>seconds</c>, <c>By</c> → <c>bytes</c>, and nothing
    /// for dimensionless units (<c>1</c>) and annotations such as <c>{sample}</c>, which count things.
    /// </summary>
    public static string UnitWord(string unit) => unit switch
    {
        "" or "1" => "",
        _ when unit.StartsWith('{') && unit.EndsWith('}') => "",
        "s" => "seconds",
        "ms" => "milliseconds",
        "us" => "microseconds",
        "ns" => "nanoseconds",
        "By" => "bytes",
        "KiBy" => "kibibytes",
        "MiBy" => "mebibytes",
        "%" => "percent",
        "Hz" => "hertz",
        _ => Sanitize(unit, allowColon: false),
    };

    /// <summary>A label name: <c>otel.signal</c> → <c>otel_signal</c>.</summary>
    public static string Label(string name) => Sanitize(name, allowColon: false);

    private static string Sanitize(string name, bool allowColon)
    {
        if (name.Length == 0) throw new ArgumentException("a metric or label name must not be empty", nameof(name));
        StringBuilder? result = null;
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            var valid = char.IsAsciiLetter(c) || c == '_' || (allowColon && c == ':') || (i > 0 && char.IsAsciiDigit(c));
            if (valid && result is null) continue;
            result ??= new StringBuilder(name, 0, i, name.Length + 1);
            if (i == 0 && char.IsAsciiDigit(c)) result.Append('_').Append(c);
            else result.Append(valid ? c : '_');
        }
        return result?.ToString() ?? name;
    }
}
