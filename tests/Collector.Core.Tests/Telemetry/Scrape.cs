using Collector.Telemetry.Exposition;

namespace Collector.Core.Tests.Telemetry;

/// <summary>Reads values out of collected families by Prometheus family name and labels.</summary>
internal static class Scrape
{
    public static MetricFamily? Family(IReadOnlyList<MetricFamily> families, string name) => families.FirstOrDefault(f => f.Name == name);

    /// <summary>The value of the series whose labels are exactly <paramref name="labels"/>, or null when there is none.</summary>
    public static double? Value(IReadOnlyList<MetricFamily> families, string name, params (string Name, string Value)[] labels)
    {
        var family = Family(families, name);
        var wanted = labels.OrderBy(l => l.Name, StringComparer.Ordinal).Select(l => new MetricLabel(l.Name, l.Value)).ToList();
        return family?.Series.FirstOrDefault(s => s.Labels.SequenceEqual(wanted))?.Value;
    }
}
