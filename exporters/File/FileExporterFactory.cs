using Collector.Core.Components;

namespace Collector.Exporters.File;

public sealed class FileExporterFactory : ExporterFactory<FileExporterOptions>
{
    public override string Type => "file";

    public override string Description => "Writes each batch as a self-contained OTLP export to a file (JSON lines or length-prefixed protobuf), with optional gzip and rotation.";

    protected override IExporter Create(ComponentCreateSettings settings, FileExporterOptions options) => new FileExporter(settings, options);
}
