namespace Collector.Telemetry.Exposition;

/// <summary>The two text formats a scraper may ask for, and how to tell from its <c>Accept</c> header.</summary>
public enum ExpositionFormat
{
    /// <summary>Prometheus text format 0.0.4, what plain clients (curl, older scrapers) get.</summary>
    PrometheusText,

    /// <summary>OpenMetrics 1.0.0 text, for scrapers that ask for it.</summary>
    OpenMetrics,
}

public static class ExpositionFormats
{
    public const string PrometheusTextContentType = "text/plain; version=0.0.4; charset=utf-8";
    public const string OpenMetricsContentType = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    public static string ContentType(this ExpositionFormat format) =>
        format == ExpositionFormat.OpenMetrics ? OpenMetricsContentType : PrometheusTextContentType;

    /// <summary>
    /// OpenMetrics only when the header names <c>application/openmetrics-text</c> explicitly (version 1.0.0 or
    /// none) with a quality at least that of the Prometheus text format; a wildcard alone means the plain text
    /// format, which every client understands. Prometheus itself lists OpenMetrics first.
    /// </summary>
    public static ExpositionFormat Negotiate(string? accept)
    {
        if (string.IsNullOrWhiteSpace(accept)) return ExpositionFormat.PrometheusText;
        double openMetrics = 0, text = 0;
        foreach (var range in accept.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parameters = range.Split(';', StringSplitOptions.TrimEntries);
            var mediaType = parameters[0];
            var quality = 1.0;
            string? version = null;
            foreach (var parameter in parameters.AsSpan(1))
            {
                var equals = parameter.IndexOf('=', StringComparison.Ordinal);
                if (equals < 0) continue;
                var name = parameter[..equals].Trim();
                var value = parameter[(equals + 1)..].Trim().Trim('"');
                if (name.Equals("q", StringComparison.OrdinalIgnoreCase))
                {
                    quality = double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var q) ? q : 0;
                }
                else if (name.Equals("version", StringComparison.OrdinalIgnoreCase))
                {
                    version = value;
                }
            }
            if (mediaType.Equals("application/openmetrics-text", StringComparison.OrdinalIgnoreCase) && version is null or "1.0.0")
            {
                openMetrics = Math.Max(openMetrics, quality);
            }
            else if (mediaType.Equals("text/plain", StringComparison.OrdinalIgnoreCase) && version is null or "0.0.4")
            {
                text = Math.Max(text, quality);
            }
        }
        return openMetrics > 0 && openMetrics >= text ? ExpositionFormat.OpenMetrics : ExpositionFormat.PrometheusText;
    }
}
