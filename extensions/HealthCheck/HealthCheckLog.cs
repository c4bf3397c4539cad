using Microsoft.Extensions.Logging;

namespace Collector.Extensions.HealthCheck;

internal static partial class HealthCheckLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Health check at {Addresses}")]
    public static partial void Listening(ILogger logger, string addresses);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Health check: server available")]
    public static partial void Available(ILogger logger);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Health check: server not available: {Problems}")]
    public static partial void NotAvailable(ILogger logger, string problems);
}
