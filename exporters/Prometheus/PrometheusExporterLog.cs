using Microsoft.Extensions.Logging;

namespace Collector.Exporters.Prometheus;

internal static partial class PrometheusExporterLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Serving CPU time metrics at {Addresses}")]
    public static partial void Serving(this ILogger logger, string addresses);
}
