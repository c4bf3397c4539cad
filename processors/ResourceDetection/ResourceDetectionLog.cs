using Microsoft.Extensions.Logging;

namespace Collector.Processors.ResourceDetection;

internal static partial class ResourceDetectionLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "OTEL_RESOURCE_ATTRIBUTES ignored: {Problem}")]
    public static partial void EnvironmentVariableIgnored(this ILogger logger, string problem);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Detected {Attributes} (override {Override})")]
    public static partial void Detected(this ILogger logger, string attributes, bool @override);
}
