using Microsoft.Extensions.Logging;

namespace Collector.Receivers.Ebpf.Python;

internal static partial class PythonLog
{
    [LoggerMessage(EventId = 60, Level = LogLevel.Debug, Message = "pid {Pid} runs CPython {Version} (_PyRuntime at 0x{Runtime:x}): its Python frames are walked at each sample")]
    public static partial void Detected(ILogger logger, int pid, string version, ulong runtime);

    [LoggerMessage(EventId = 61, Level = LogLevel.Debug, Message = "pid {Pid} runs CPython, but its frames cannot be walked: {Reason}; it keeps native frames")]
    public static partial void NotSupported(ILogger logger, int pid, string reason);
}
