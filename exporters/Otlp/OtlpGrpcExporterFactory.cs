using Collector.Core.Components;
using Collector.Exporters.Sending;

namespace Collector.Exporters.Otlp;

public sealed class OtlpGrpcExporterFactory : ExporterFactory<OtlpGrpcExporterOptions>
{
    public override string Type => "otlp_grpc";

    /// <summary>The Collector's name before v0.144.0.</summary>
    public override IReadOnlyList<string> Aliases => ["otlp"];

    public override string Description => "Sends profiles over OTLP/gRPC, with a sending queue (optionally persistent), retries and request splitting.";

    protected override IExporter Create(ComponentCreateSettings settings, OtlpGrpcExporterOptions options) =>
        new OtlpExporter(settings, options, RequestEncoding.Proto, counters => new GrpcExportClient(options, counters, settings.TimeProvider));
}
