using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Collector.Protocol.Http;

/// <summary>
/// The collector's logger factory for an embedded web server, minus the hosting layer's own logs: that layer
/// logs a failed start (a port in use) as an error with a stack trace, while the caller gets the same exception
/// and decides how serious it is. The server's own logs pass through.
/// </summary>
internal sealed class QuietHostingLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) =>
        categoryName.StartsWith("Microsoft.Extensions.Hosting", StringComparison.Ordinal) || categoryName.StartsWith("Microsoft.AspNetCore.Hosting", StringComparison.Ordinal)
            ? NullLogger.Instance
            : inner.CreateLogger(categoryName);

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    /// <summary>The inner factory belongs to the collector, which disposes it.</summary>
    public void Dispose()
    {
    }
}
