using Microsoft.Extensions.Logging;

namespace Collector.Exporters.Sending;

internal static partial class SendingLog
{
    [LoggerMessage(EventId = 101, Level = LogLevel.Information,
        Message = "Export of {Samples} samples failed (attempt {Attempt}): {Reason}. Will retry in {Delay}; {Suppressed} similar retries since the last report.")]
    public static partial void WillRetry(this ILogger logger, int samples, int attempt, string reason, TimeSpan delay, long suppressed);

    [LoggerMessage(EventId = 102, Level = LogLevel.Error,
        Message = "Export of {Samples} samples dropped: {Reason} ({Outcome}); {Suppressed} similar failures since the last report.")]
    public static partial void Dropped(this ILogger logger, int samples, string reason, string outcome, long suppressed);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning,
        Message = "The server accepted an export only in part: {RejectedProfiles} rejected, \"{Message}\"; {Suppressed} similar responses since the last report.")]
    public static partial void PartialSuccess(this ILogger logger, long rejectedProfiles, string message, long suppressed);

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning,
        Message = "Sending queue is full ({Capacity} requests): refused {Samples} samples, the caller may retry; {Suppressed} similar refusals since the last report.")]
    public static partial void QueueFull(this ILogger logger, int capacity, int samples, long suppressed);

    [LoggerMessage(EventId = 105, Level = LogLevel.Error,
        Message = "Shutdown ran out of time: {Requests} queued requests ({Samples} samples) were not sent and are lost.")]
    public static partial void LostOnShutdown(this ILogger logger, int requests, long samples);

    [LoggerMessage(EventId = 106, Level = LogLevel.Warning,
        Message = "Shutdown ran out of time: {Requests} queued requests ({Samples} samples) stay in {Directory} and are sent after the next start.")]
    public static partial void KeptOnDisk(this ILogger logger, int requests, long samples, string directory);

    [LoggerMessage(EventId = 107, Level = LogLevel.Information,
        Message = "Persistent queue {Directory}: {Requests} requests ({Samples} samples) from an earlier run will be sent; {Corrupt} corrupt records skipped.")]
    public static partial void Recovered(this ILogger logger, string directory, int requests, long samples, int corrupt);

    [LoggerMessage(EventId = 108, Level = LogLevel.Error,
        Message = "Persistent queue {Directory}: skipped corrupt record {File}: {Reason}")]
    public static partial void CorruptRecord(this ILogger logger, string directory, string file, string reason);

    [LoggerMessage(EventId = 109, Level = LogLevel.Error,
        Message = "Persistent queue {Directory}: could not store a request of {Samples} samples: {Reason}. Refused; the caller may retry.")]
    public static partial void StoreFailed(this ILogger logger, string directory, int samples, string reason, Exception error);

    [LoggerMessage(EventId = 110, Level = LogLevel.Warning,
        Message = "Persistent queue {Directory}: could not remove a finished record {File}: {Reason}. It may be sent again after a restart.")]
    public static partial void RemoveFailed(this ILogger logger, string directory, string file, string reason);
}
