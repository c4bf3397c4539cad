using Microsoft.Extensions.Logging;

namespace Collector.Bpf;

internal static partial class BpfLog
{
    [LoggerMessage(EventId = 101, Level = LogLevel.Information,
        Message = "BPF profiler attached: cpu-clock sampling on {CpuCount} CPUs at {SamplesPerSecond} Hz, exec/fork/exit tracepoints, {RingBufferBytes}-byte ring buffer")]
    public static partial void Started(ILogger logger, int cpuCount, int samplesPerSecond, int ringBufferBytes);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning,
        Message = "native_unwinding falls back to frame pointers: missing {Feature}. Code built without frame pointers shows only its leaf frames")]
    public static partial void UnwinderUnavailable(ILogger logger, string feature);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "CPU {Cpu} went offline before its sampling event was opened; it is not sampled")]
    public static partial void CpuWentOffline(ILogger logger, int cpu);
}
