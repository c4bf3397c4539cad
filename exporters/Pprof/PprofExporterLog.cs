using Microsoft.Extensions.Logging;

namespace Collector.Exporters.Pprof;

internal static partial class PprofExporterLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "pprof endpoint listening on {Addresses}: go tool pprof http://…/debug/pprof/profile?seconds=30")]
    public static partial void Listening(this ILogger logger, string addresses);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Could not delete old pprof file {File}: {Reason}")]
    public static partial void DeleteFailed(this ILogger logger, string file, string reason);
}
