using Microsoft.Extensions.Logging;

namespace Collector.Processors.Symbolization;

internal static partial class SymbolizationLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning,
        Message = "Every address in {Path} reads as zero: the kernel hides them from this process (kernel.kptr_restrict; run with CAP_SYSLOG or as root). Kernel frames keep their addresses but get no names")]
    public static partial void KernelAddressesHidden(this ILogger logger, string path);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning,
        Message = "Could not read symbols from {Path} ({Reason}: {Detail}); its frames keep their addresses. {Suppressed} similar failures not logged since the last message")]
    public static partial void ReadFailed(this ILogger logger, string path, string reason, string detail, long suppressed);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information,
        Message = "Stopped: distinct frames named per batch by source {Named}; left unnamed by reason {Unnamed}; source read failures {Failures}; perf map requests {PerfMapRequests}")]
    public static partial void Stopped(this ILogger logger, string named, string unnamed, string failures, string perfMapRequests);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information,
        Message = "Perf map of {Runtime} process {Pid}: {Outcome}")]
    public static partial void PerfMapRequestSucceeded(this ILogger logger, string runtime, int pid, string outcome);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning,
        Message = "Could not turn on the perf map of {Runtime} process {Pid} ({Outcome}: {Detail}); its JIT frames keep their addresses")]
    public static partial void PerfMapRequestFailed(this ILogger logger, string runtime, int pid, string outcome, string detail);
}
