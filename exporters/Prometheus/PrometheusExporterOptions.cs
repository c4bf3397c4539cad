using Collector.Core.Components;
using Collector.Protocol.Http;

namespace Collector.Exporters.Prometheus;

/// <summary>Options of the <c>prometheus</c> exporter, which serves CPU time from profiles as Prometheus counters.</summary>
public sealed class PrometheusExporterOptions : IComponentOptions
{
    /// <summary>host:port of the scrape endpoint (path <c>/metrics</c>); loopback only unless configured otherwise.</summary>
    public string Endpoint { get; set; } = "localhost:9464";

    /// <summary>Labels of <c>profile_cpu_seconds_total</c>, in this order; see <see cref="CpuTimeLabels"/> for each one's source.</summary>
    public List<string> Labels { get; set; } = [CpuTimeLabels.Process, CpuTimeLabels.ContainerId, CpuTimeLabels.Function];

    /// <summary>The most series the exporter holds; CPU time that finds no room is counted as dropped.</summary>
    public int MaxSeries { get; set; } = 10_000;

    /// <summary>The most function series one process (one set of the other labels) gets; the rest is folded into <c>function="other"</c>.</summary>
    public int TopFunctionsPerProcess { get; set; } = 100;

    /// <summary>A series that has not grown for this long is dropped, freeing its room.</summary>
    public TimeSpan SeriesTtl { get; set; } = TimeSpan.FromMinutes(5);

    public IEnumerable<OptionsError> Validate()
    {
        if (!ListenAddress.TryParse(Endpoint, out _, out var error))
        {
            yield return new OptionsError("endpoint", error);
        }
        if (Labels.Count == 0)
        {
            yield return new OptionsError("labels", "must name at least one label");
        }
        for (var i = 0; i < Labels.Count; i++)
        {
            if (!CpuTimeLabels.All.Contains(Labels[i]))
            {
                yield return new OptionsError($"labels::{i}", $"unknown label \"{Labels[i]}\": use {string.Join(", ", CpuTimeLabels.All)}");
            }
            else if (Labels.IndexOf(Labels[i]) != i)
            {
                yield return new OptionsError($"labels::{i}", $"\"{Labels[i]}\" is listed twice");
            }
        }
        if (MaxSeries < 1)
        {
            yield return new OptionsError("max_series", "must be at least 1");
        }
        if (TopFunctionsPerProcess < 1)
        {
            yield return new OptionsError("top_functions_per_process", "must be at least 1");
        }
        if (SeriesTtl <= TimeSpan.Zero)
        {
            yield return new OptionsError("series_ttl", "must be greater than zero");
        }
    }
}
