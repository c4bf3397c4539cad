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
        Message = "Stopped: distinct frames named per batch by source {Named}; left unnamed by reason {Unnamed}; source read failures {Failures}")]
    public static partial void Stopped(this ILogger logger, string named, string unnamed, string failures);
}
