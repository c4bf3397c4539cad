using Microsoft.Extensions.Logging;

namespace Collector.Extensions.BearerTokenAuth;

internal static partial class BearerTokenAuthLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Token file {File} changed; using the new token")]
    public static partial void TokenReloaded(this ILogger logger, string file);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Could not re-read token file {File}: {Reason}; keeping the previous token")]
    public static partial void ReloadFailed(this ILogger logger, string file, string reason);
}
