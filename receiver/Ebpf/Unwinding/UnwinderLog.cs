using Microsoft.Extensions.Logging;

namespace Collector.Receivers.Ebpf.Unwinding;

internal static partial class UnwinderLog
{
    [LoggerMessage(EventId = 301, Level = LogLevel.Debug, Message = "Unwinder: {Kind} of process {Pid} left to frame pointers: {Reason}")]
    public static partial void CommandFailed(ILogger logger, UnwinderCommandKind kind, int pid, string reason);

    [LoggerMessage(EventId = 302, Level = LogLevel.Debug, Message = "Unwinder: the kernel refused the mappings of process {Pid} (errno {Errno}); it keeps the frame-pointer walk")]
    public static partial void ProcessNotWritten(ILogger logger, int pid, int errno);
}
