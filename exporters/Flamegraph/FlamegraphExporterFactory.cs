using Collector.Core.Components;

namespace Collector.Exporters.Flamegraph;

public sealed class FlamegraphExporterFactory : ExporterFactory<FlamegraphExporterOptions>
{
    public override string Type => "flamegraph";

    public override string Description => "Serves a live flame graph page of the last minutes (filters, search, zoom, top functions, two-window comparison).";

    protected override IExporter Create(ComponentCreateSettings settings, FlamegraphExporterOptions options) => new FlamegraphExporter(settings, options);
}
