using Microsoft.Extensions.Logging;

namespace Collector.Protocol.Http.Server;

internal static partial class HttpServerLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "{Method} {Path} on connection {Connection} failed; answered 500")]
    public static partial void HandlerFailed(ILogger logger, string method, string path, ConnectionFeature connection, Exception error);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Refused a connection: {Max} are open, the most allowed ({Suppressed} more refused since the last message)")]
    public static partial void ConnectionRefused(ILogger logger, int max, long suppressed);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Accepting a connection failed: {Reason} ({Suppressed} more failures since the last message)")]
    public static partial void AcceptFailed(ILogger logger, string reason, long suppressed);

    [LoggerMessage(EventId = 4, Level = LogLevel.Debug, Message = "Bad request on connection {Connection}: answered {Status} and closed")]
    public static partial void BadRequest(ILogger logger, ConnectionFeature connection, int status);

    [LoggerMessage(EventId = 5, Level = LogLevel.Debug, Message = "Not listening on {Address}: {Reason}")]
    public static partial void AddressSkipped(ILogger logger, string address, string reason);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "Stopped with {Count} connection(s) still busy past the grace period: closed under their requests")]
    public static partial void StopAborted(ILogger logger, int count);

    [LoggerMessage(EventId = 7, Level = LogLevel.Error, Message = "Connection {Connection} failed")]
    public static partial void ConnectionFailed(ILogger logger, ConnectionFeature connection, Exception error);

    [LoggerMessage(EventId = 8, Level = LogLevel.Error, Message = "An OnCompleted callback for {Method} {Path} failed")]
    public static partial void CompletedCallbackFailed(ILogger logger, string method, string path, Exception error);
}
