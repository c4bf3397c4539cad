using Collector.Core.Components;

namespace Collector.Exporters.Pprof;

public sealed class PprofExporterFactory : ExporterFactory<PprofExporterOptions>
{
    public override string Type => "pprof";

    public override string Description => "Writes each report as gzipped pprof profile.proto files and/or serves /debug/pprof/profile?seconds=N for go tool pprof.";

    protected override IExporter Create(ComponentCreateSettings settings, PprofExporterOptions options) => new PprofExporter(settings, options);
}
