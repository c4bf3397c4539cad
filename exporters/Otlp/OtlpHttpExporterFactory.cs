using Collector.Core.Components;

namespace Collector.Exporters.Otlp;

public sealed class OtlpHttpExporterFactory : ExporterFactory<OtlpHttpExporterOptions>
{
    public override string Type => "otlp_http";

    /// <summary>The Collector's name before v0.144.0.</summary>
    public override IReadOnlyList<string> Aliases => ["otlphttp"];

    public override string Description => "Sends profiles over OTLP/HTTP (protobuf or JSON), with a sending queue (optionally persistent), retries and request splitting.";

    protected override IExporter Create(ComponentCreateSettings settings, OtlpHttpExporterOptions options) =>
        new OtlpExporter(settings, options, options.RequestEncoding, counters => new HttpExportClient(options, counters, settings.TimeProvider));
}
