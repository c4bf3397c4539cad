using Microsoft.Extensions.Logging;

namespace Collector.Exporters.File;

internal static partial class FileExporterLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Error,
        Message = "Could not write {Path}: {Reason}. {LostSamples} samples lost; {Suppressed} similar failures since the last report. Will retry with the next batch.")]
    public static partial void WriteFailed(this ILogger logger, string path, string reason, long lostSamples, long suppressed, Exception error);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error,
        Message = "Could not open {Path} at start: {Reason}. The exporter keeps running and tries again with each batch.")]
    public static partial void OpenAtStartFailed(this ILogger logger, string path, string reason, Exception error);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Rotated {Path} to {Backup}")]
    public static partial void Rotated(this ILogger logger, string path, string backup);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Could not delete old backup {Backup}: {Reason}")]
    public static partial void BackupDeleteFailed(this ILogger logger, string backup, string reason);
}
