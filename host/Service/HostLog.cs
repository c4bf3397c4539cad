using Microsoft.Extensions.Logging;

namespace Collector.Host.Service;

internal static partial class HostLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Starting collector with {PipelineCount} pipeline(s)")]
    public static partial void Starting(ILogger logger, int pipelineCount);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Everything is ready: receiving and processing data")]
    public static partial void Ready(ILogger logger);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Shutting down: stopping receivers, flushing processors, draining exporters")]
    public static partial void ShuttingDown(ILogger logger);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Shutdown complete")]
    public static partial void ShutdownComplete(ILogger logger);

    [LoggerMessage(EventId = 5, Level = LogLevel.Error, Message = "{Message}")]
    public static partial void StartFailed(ILogger logger, string message);

    [LoggerMessage(EventId = 8, Level = LogLevel.Debug, Message = "Start failure detail")]
    public static partial void StartFailedDetail(ILogger logger, Exception? error);

    [LoggerMessage(EventId = 6, Level = LogLevel.Critical, Message = "Component {Component} failed: {Consequence}")]
    public static partial void ComponentFailed(ILogger logger, string component, string consequence, Exception error);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "Config: {Warning}")]
    public static partial void ConfigWarning(ILogger logger, string warning);

    [LoggerMessage(EventId = 8, Level = LogLevel.Information, Message = "Self-telemetry metrics at {Addresses} (level {Level})")]
    public static partial void TelemetryServing(ILogger logger, string addresses, string level);

    [LoggerMessage(EventId = 9, Level = LogLevel.Warning, Message = "Self-telemetry metrics are not served: cannot listen on {Address} ({Reason}); the pipelines run without them")]
    public static partial void TelemetryNotServed(ILogger logger, string address, string reason);
}
