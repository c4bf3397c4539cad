using Microsoft.Extensions.Logging;

namespace Collector.Receivers.Otlp;

internal static partial class OtlpReceiverLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Listening for OTLP/{Transport} on {Endpoint}{Security}")]
    public static partial void Listening(this ILogger logger, string transport, string endpoint, string security);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning,
        Message = "Refused an invalid OTLP/{Transport} request from {Remote}: {Reason} ({Suppressed} more since the last report)")]
    public static partial void InvalidRequest(this ILogger logger, string transport, string remote, string reason, long suppressed);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error,
        Message = "The pipeline failed an OTLP/{Transport} request of {Samples} samples for good: {Reason} ({Suppressed} more since the last report)")]
    public static partial void PipelineFailed(this ILogger logger, string transport, int samples, string reason, long suppressed, Exception error);

    [LoggerMessage(EventId = 4, Level = LogLevel.Debug, Message = "The pipeline refused an OTLP/{Transport} request of {Samples} samples for now: {Reason}")]
    public static partial void PipelineRefused(this ILogger logger, string transport, int samples, string reason);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information,
        Message = "Stopped: {Accepted} samples accepted, {Refused} refused, {Failed} failed (grpc {GrpcRequests} requests, http {HttpRequests} requests)")]
    public static partial void Stopped(this ILogger logger, long accepted, long refused, long failed, long grpcRequests, long httpRequests);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning,
        Message = "Refused an unauthenticated OTLP/{Transport} request from {Remote}: {Reason} ({Suppressed} more since the last report)")]
    public static partial void Unauthenticated(this ILogger logger, string transport, string remote, string reason, long suppressed);
}
