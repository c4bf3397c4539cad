using Microsoft.Extensions.Logging;

namespace Collector.Processors.Filter;

internal static partial class FilterLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Stopped: dropped {Dropped} of {Seen} samples, kept {Kept}")]
    public static partial void Stopped(this ILogger logger, long dropped, long seen, long kept);
}
