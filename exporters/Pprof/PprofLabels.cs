using System.Globalization;
using Collector.Core.Model;

namespace Collector.Exporters.Pprof;

/// <summary>A pprof label with its strings already in the string table: a string label (Str) or a numeric one (Num).</summary>
internal readonly record struct PprofLabel(long Key, long Str, long Num);

/// <summary>
/// Turns OpenTelemetry attributes into pprof labels, following the profiles ↔ pprof mapping: integers become numeric
/// labels, everything else a string label; keys stay the semantic-convention names (<c>process.pid</c>,
/// <c>container.id</c>, <c>thread.name</c>) so <c>-tagfocus=process.pid=42</c> reads the same as the OTLP data.
/// </summary>
internal static class PprofLabels
{
    public static void Add(List<PprofLabel> labels, PprofStringTable strings, string key, AnyValue? value)
    {
        if (value is null || value.Kind == AnyValueKind.Empty) return;
        var keyIndex = strings.Intern(key);
        if (value.Kind == AnyValueKind.Int)
        {
            labels.Add(new PprofLabel(keyIndex, 0, value.IntValue));
            return;
        }
        var text = value.Kind switch
        {
            AnyValueKind.String => value.StringValue,
            AnyValueKind.Bool => value.BoolValue ? "true" : "false",
            AnyValueKind.Double => value.DoubleValue.ToString(CultureInfo.InvariantCulture),
            _ => value.ToString(),
        };
        labels.Add(new PprofLabel(keyIndex, strings.Intern(text), 0));
    }
}
