using Microsoft.Extensions.Logging;

namespace Collector.Receivers.OtlpJsonFile;

internal static partial class OtlpJsonFileReceiverLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "include pattern {Pattern} matches no file{WhatNext}")]
    public static partial void NoMatch(this ILogger logger, string pattern, string whatNext);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning,
        Message = "Skipped corrupt line {File}:{Line}: {Reason} ({Suppressed} more corrupt lines since the last report)")]
    public static partial void CorruptLine(this ILogger logger, string file, long line, string reason, long suppressed);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error,
        Message = "The next consumer rejected the batch from {File}:{Line} ({Samples} samples): {Reason} ({Suppressed} more rejections since the last report)")]
    public static partial void ConsumerFailed(this ILogger logger, string file, long line, int samples, string reason, long suppressed, Exception error);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Could not read {File}: {Reason} ({Suppressed} more read errors since the last report)")]
    public static partial void ReadFailed(this ILogger logger, string file, string reason, long suppressed);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "{File} was truncated or replaced; reading it again from the beginning")]
    public static partial void Restarted(this ILogger logger, string file);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning,
        Message = "Gave up on the batch from {File}:{Line} ({Samples} samples): shutting down while the next consumer still refused it")]
    public static partial void AbandonedOnShutdown(this ILogger logger, string file, long line, int samples);

    [LoggerMessage(EventId = 7, Level = LogLevel.Error, Message = "Reading stopped unexpectedly")]
    public static partial void ReadLoopFailed(this ILogger logger, Exception error);

    [LoggerMessage(EventId = 8, Level = LogLevel.Information,
        Message = "Stopped: {Batches} batches with {Samples} samples accepted, {CorruptLines} corrupt lines skipped, {FailedSamples} samples refused downstream")]
    public static partial void Stopped(this ILogger logger, long batches, long samples, long corruptLines, long failedSamples);
}
