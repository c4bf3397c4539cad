using Microsoft.Extensions.Logging;

namespace Collector.Receivers.Ebpf;

internal static partial class EbpfProfilingLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "Profiling {Scope} at {SamplesPerSecond} Hz on {CpuCount} CPUs, kernel stacks {KernelStacks}; samples are reported every {ReportInterval}")]
    public static partial void Started(this ILogger logger, string scope, int samplesPerSecond, int cpuCount, bool kernelStacks, TimeSpan reportInterval);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning,
        Message = "Downstream refused process events and the watermark ({Reason}); they are offered again every tick, {Waiting} batches waiting")]
    public static partial void DownstreamRefusing(this ILogger logger, string reason, int waiting);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Downstream accepts batches again")]
    public static partial void DownstreamAccepting(this ILogger logger);

    [LoggerMessage(EventId = 4, Level = LogLevel.Error,
        Message = "Dropped a batch of {Samples} samples and {Events} process events: {Reason}")]
    public static partial void BatchDropped(this ILogger logger, int samples, int events, string reason);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning,
        Message = "The ring buffer was full: {Lost} records lost in the last {Seconds:F0}s ({Total} in all). Polling fell behind (a slow downstream consumer?) or samples_per_second is too high for this many CPUs")]
    public static partial void RecordsLost(this ILogger logger, long lost, double seconds, long total);

    [LoggerMessage(EventId = 6, Level = LogLevel.Error, Message = "Polling the kernel profiler failed; the receiver stops")]
    public static partial void PollFailed(this ILogger logger, Exception error);

    [LoggerMessage(EventId = 7, Level = LogLevel.Information,
        Message = "Stopped: {Samples} samples received, {Filtered} filtered out, {Lost} records lost, {Truncated} stacks truncated, {Late} late records, {Dropped} samples dropped downstream, {Batches} batches sent")]
    public static partial void Stopped(this ILogger logger, long samples, long filtered, long lost, long truncated, long late, long dropped, long batches);

    [LoggerMessage(EventId = 8, Level = LogLevel.Error, Message = "The final drain at shutdown failed")]
    public static partial void FinalDrainFailed(this ILogger logger, Exception error);

    [LoggerMessage(EventId = 9, Level = LogLevel.Warning,
        Message = "Downstream refused samples for now ({Reason}): dropped {Samples} samples (logged at most every {Interval}; {Total} dropped in all); process events and the watermark still go on")]
    public static partial void SamplesRefused(this ILogger logger, long samples, string reason, TimeSpan interval, long total);

    [LoggerMessage(EventId = 10, Level = LogLevel.Information,
        Message = "The collector runs in a pid namespace of its own (a container): it profiles the processes of that namespace only, reports them under the pids its /proc shows, and applies pids and the collector's own exclusion in user space")]
    public static partial void NestedPidNamespace(this ILogger logger);

    [LoggerMessage(EventId = 11, Level = LogLevel.Information,
        Message = "Pid namespace: {Samples} samples of processes outside it left out ({Processes} such processes), {Ambiguous} lookups that could not tell processes apart, {Scans} listings of /proc")]
    public static partial void NamespaceStopped(this ILogger logger, long samples, long processes, long ambiguous, long scans);

    [LoggerMessage(EventId = 12, Level = LogLevel.Warning, Message = "Missing capability CAP_{Name}: {Cost}")]
    public static partial void CapabilityMissing(this ILogger logger, string name, string cost);
}
