using Microsoft.Extensions.Logging;

namespace Collector.Processors.MemoryLimiter;

internal static partial class MemoryLimiterLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "Checking memory every {Interval}: {Limits} (measured: resident set size)")]
    public static partial void Started(this ILogger logger, TimeSpan interval, string limits);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning,
        Message = "Memory usage {UsedMib} MiB is above the soft limit of {SoftMib} MiB: refusing new samples (retryable) until it falls below")]
    public static partial void Refusing(this ILogger logger, long usedMib, long softMib);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information,
        Message = "Memory usage {UsedMib} MiB is back below the soft limit of {SoftMib} MiB: accepting samples again ({Refused} refused meanwhile)")]
    public static partial void Accepting(this ILogger logger, long usedMib, long softMib, long refused);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning,
        Message = "Memory usage {UsedMib} MiB is above the {Limit} limit of {LimitMib} MiB: forced a garbage collection, {AfterMib} MiB after it. {Suppressed} similar messages not logged since the last one")]
    public static partial void ForcedCollection(this ILogger logger, long usedMib, string limit, long limitMib, long afterMib, long suppressed);

    [LoggerMessage(EventId = 5, Level = LogLevel.Error, Message = "Memory check failed; the limiter keeps its previous decision")]
    public static partial void CheckFailed(this ILogger logger, Exception error);
}
