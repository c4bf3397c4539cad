namespace Collector.Exporters.Sending;

/// <summary>
/// An attempt to send a request failed. <see cref="Retryable"/> follows OTLP: the same request may succeed
/// later (UNAVAILABLE, HTTP 503, a network error), or it never will (INVALID_ARGUMENT, HTTP 400).
/// <see cref="RetryAfter"/> is the server's own hint (gRPC RetryInfo, HTTP Retry-After), which the backoff
/// honours when it is longer than its own wait.
/// </summary>
public sealed class ExportFailedException : Exception
{
    public ExportFailedException(string message, bool retryable, TimeSpan? retryAfter = null, Exception? inner = null)
        : base(message, inner)
    {
        Retryable = retryable;
        RetryAfter = retryAfter;
    }

    public ExportFailedException()
    {
    }

    public ExportFailedException(string message) : base(message)
    {
    }

    public ExportFailedException(string message, Exception inner) : base(message, inner)
    {
    }

    public bool Retryable { get; }

    public TimeSpan? RetryAfter { get; }
}

/// <summary>A successful export, possibly with part of it rejected (OTLP partial success).</summary>
public readonly record struct ExportResponse(long RejectedProfiles, string ErrorMessage)
{
    public static ExportResponse Complete => new(0, "");

    public bool IsPartial => RejectedProfiles != 0 || ErrorMessage.Length > 0;
}
