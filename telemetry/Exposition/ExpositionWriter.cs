using System.Globalization;
using System.Text;

namespace Collector.Telemetry.Exposition;

/// <summary>
/// Writes metric families in Prometheus text format 0.0.4 or OpenMetrics 1.0.0. Both put HELP and TYPE before a
/// family's samples and escape label values; they differ in where <c>_total</c> goes (0.0.4 names the whole
/// counter <c>x_total</c>; OpenMetrics names the family <c>x</c> and its sample <c>x_total</c>), in what HELP
/// escapes, in the UNIT line, and in the closing <c># EOF</c> that only OpenMetrics has.
/// </summary>
public static class ExpositionWriter
{
    private const string TotalSuffix = "_total";

    public static byte[] WriteUtf8(IEnumerable<MetricFamily> families, ExpositionFormat format)
    {
        var text = new StringBuilder(4096);
        Write(text, families, format);
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    public static void Write(StringBuilder output, IEnumerable<MetricFamily> families, ExpositionFormat format)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(families);
        var openMetrics = format == ExpositionFormat.OpenMetrics;
        foreach (var family in families)
        {
            var sampleName = family.Type == MetricType.Counter ? family.Name + TotalSuffix : family.Name;
            // 0.0.4 describes the sample name; OpenMetrics describes the family, whose counter sample adds _total.
            var describedName = openMetrics ? family.Name : sampleName;
            var type = family.Type == MetricType.Counter ? "counter" : "gauge";
            if (openMetrics)
            {
                output.Append("# TYPE ").Append(describedName).Append(' ').Append(type).Append('\n');
                // A UNIT line is only valid when the family name ends with it, which PrometheusNames ensures.
                if (family.Unit.Length > 0 && family.Name.EndsWith("_" + family.Unit, StringComparison.Ordinal))
                {
                    output.Append("# UNIT ").Append(describedName).Append(' ').Append(family.Unit).Append('\n');
                }
                output.Append("# HELP ").Append(describedName).Append(' ');
                AppendEscaped(output, family.Help, escapeQuotes: true);
                output.Append('\n');
            }
            else
            {
                output.Append("# HELP ").Append(describedName).Append(' ');
                AppendEscaped(output, family.Help, escapeQuotes: false);
                output.Append('\n');
                output.Append("# TYPE ").Append(describedName).Append(' ').Append(type).Append('\n');
            }
            foreach (var series in family.Series)
            {
                output.Append(sampleName);
                AppendLabels(output, series.Labels);
                output.Append(' ');
                AppendValue(output, series.Value);
                output.Append('\n');
            }
        }
        if (openMetrics) output.Append("# EOF\n");
    }

    private static void AppendLabels(StringBuilder output, IReadOnlyList<MetricLabel> labels)
    {
        var first = true;
        foreach (var label in labels)
        {
            // An empty value means the same as no label at all, so leave it out rather than write label="".
            if (label.Value.Length == 0) continue;
            output.Append(first ? '{' : ',');
            first = false;
            output.Append(label.Name).Append("=\"");
            AppendEscaped(output, label.Value, escapeQuotes: true);
            output.Append('"');
        }
        if (!first) output.Append('}');
    }

    /// <summary>Backslash and newline always; double quotes in label values, and in OpenMetrics HELP text.</summary>
    private static void AppendEscaped(StringBuilder output, string text, bool escapeQuotes)
    {
        foreach (var c in text)
        {
            switch (c)
            {
                case '\\': output.Append("\\\\"); break;
                case '\n': output.Append("\\n"); break;
                case '"' when escapeQuotes: output.Append("\\\""); break;
                default: output.Append(c); break;
            }
        }
    }

    internal static void AppendValue(StringBuilder output, double value)
    {
        if (double.IsNaN(value)) output.Append("NaN");
        else if (double.IsPositiveInfinity(value)) output.Append("+Inf");
        else if (double.IsNegativeInfinity(value)) output.Append("-Inf");
        // Whole numbers as integers (counts read better, and stay exact up to 2^53).
        else if (value == Math.Floor(value) && Math.Abs(value) < 9e15) output.Append(((long)value).ToString(CultureInfo.InvariantCulture));
        else output.Append(value.ToString("R", CultureInfo.InvariantCulture));
    }
}
