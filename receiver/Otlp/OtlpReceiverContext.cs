using Collector.Core.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Collector.Receivers.Otlp;

/// <summary>
/// What the two transports of one receiver share: the export path into the pipeline, the counters, and one
/// concurrency limit over both, so the receiver's memory bound holds whatever mix of protocols arrives.
/// </summary>
internal sealed class OtlpReceiverContext
{
    private static readonly TimeSpan LogInterval = TimeSpan.FromSeconds(10);

    // Never disposed: a request aborted by shutdown may still release its slot afterwards, and a SemaphoreSlim
    // whose wait handle was never asked for holds nothing that needs disposing.
    private readonly SemaphoreSlim _slots;
    private readonly ILogger _logger;
    private readonly LogThrottle _unauthenticatedLog;

    public OtlpReceiverContext(ExportHandler handler, int maxConcurrentRequests, ILogger logger, TimeProvider time)
    {
        Handler = handler;
        Time = time;
        _logger = logger;
        _slots = new SemaphoreSlim(maxConcurrentRequests, maxConcurrentRequests);
        _unauthenticatedLog = new LogThrottle(time, LogInterval);
    }

    public ExportHandler Handler { get; }

    public TimeProvider Time { get; }

    public TransportCounters Grpc { get; } = new("grpc");

    public TransportCounters Http { get; } = new("http");

    /// <summary>Takes a slot without waiting: a full receiver answers "retry later" instead of queueing.</summary>
    public bool TryEnter() => _slots.Wait(0);

    public void Exit() => _slots.Release();

    public void LogUnauthenticated(TransportCounters counters, HttpContext context, string reason)
    {
        if (_unauthenticatedLog.ShouldLog(out var suppressed)) _logger.Unauthenticated(counters.Transport, Remote(context), reason, suppressed);
    }

    public static string Remote(HttpContext context) => $"{context.Connection.RemoteIpAddress}:{context.Connection.RemotePort}";
}
