using Collector.Core.Components;

namespace Collector.Exporters.Prometheus;

public sealed class PrometheusExporterFactory : ExporterFactory<PrometheusExporterOptions>
{
    public override string Type => "prometheus";

    public override string Description => "Serves CPU time from profiles as the Prometheus counter profile_cpu_seconds_total{process, container_id, function}, with bounded cardinality.";

    protected override IExporter Create(ComponentCreateSettings settings, PrometheusExporterOptions options) => new PrometheusExporter(settings, options);
}
