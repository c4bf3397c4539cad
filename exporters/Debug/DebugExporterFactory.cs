using Collector.Core.Components;

namespace Collector.Exporters.Debug;

public sealed class DebugExporterFactory : ExporterFactory<DebugExporterOptions>
{
    public override string Type => "debug";

    public override string Description => "Prints a summary of each batch (samples, processes, top functions) or its full content to standard output.";

    protected override IExporter Create(ComponentCreateSettings settings, DebugExporterOptions options) => new DebugExporter(settings, options, Console.Out);
}
