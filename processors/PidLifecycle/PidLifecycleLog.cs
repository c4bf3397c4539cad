using Microsoft.Extensions.Logging;

namespace Collector.Processors.PidLifecycle;

internal static partial class PidLifecycleLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning,
        Message = "The process table is full ({MaxProcesses} processes): evicted {Process} ({State}, last sampled at ktime {LastSampledKtime}); {Suppressed} more evictions since the last message. Raise max_processes if this repeats")]
    public static partial void Evicted(this ILogger logger, int maxProcesses, string process, string state, ulong lastSampledKtime, long suppressed);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information,
        Message = "Stopped: {Tracked} processes tracked, {Forgotten} forgotten, {Evicted} evicted, {MissingState} exits without state (no-ops), {LostExits} exits inferred from /proc (records lost), {Rescans} maps rescans, {BuildIdScans} scans of live processes for unknown build ids; user frames {Mapped} mapped, {OriginOnly} from kernel build ids, {Unmapped} unmapped")]
    public static partial void Stopped(this ILogger logger, int tracked, long forgotten, long evicted, long missingState, long lostExits, long rescans, long buildIdScans, long mapped, long originOnly, long unmapped);
}
