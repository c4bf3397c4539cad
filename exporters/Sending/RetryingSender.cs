using Collector.Core.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Collector.Exporters.Sending;

/// <summary>How one request ended after every attempt it was given.</summary>
internal enum SendOutcome
{
    Sent,

    /// <summary>The server refused it for good; retrying cannot help.</summary>
    Permanent,

    /// <summary>Every attempt failed retryably and the retry budget (<c>max_elapsed_time</c>) ran out, or retries are off.</summary>
    GaveUp,
}

internal readonly record struct SendResult(SendOutcome Outcome, ExportResponse Response, ExportFailedException? Error);

/// <summary>
/// Sends a request, retrying retryable failures with exponential backoff until it is sent, refused for good,
/// or <c>max_elapsed_time</c> would be exceeded by the next wait. A server's retry hint longer than the
/// backoff's own wait replaces it. Cancellation (the exporter stopping) ends the attempts with
/// <see cref="OperationCanceledException"/>, leaving the request to its owner.
/// </summary>
internal sealed class RetryingSender(IExportClient client, RetryOnFailureOptions options, TimeProvider time, ILogger logger, Func<double>? random = null)
{
    private readonly Func<double> _random = random ?? Random.Shared.NextDouble;

    // An outage makes every consumer retry at once; one line per interval says what is going on.
    private readonly LogThrottle _retryLog = new(time, TimeSpan.FromSeconds(10));

    public async Task<SendResult> SendAsync(ExportRequest request, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        ExponentialBackoff? backoff = null;
        var attempt = 0;
        while (true)
        {
            attempt++;
            try
            {
                var response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
                return new SendResult(SendOutcome.Sent, response, null);
            }
            catch (ExportFailedException error) when (!error.Retryable)
            {
                return new SendResult(SendOutcome.Permanent, default, error);
            }
            catch (ExportFailedException error)
            {
                if (!options.Enabled) return new SendResult(SendOutcome.GaveUp, default, error);
                backoff ??= new ExponentialBackoff(options, _random);
                var delay = backoff.NextDelay();
                if (error.RetryAfter is { } hint && hint > delay) delay = hint;
                var elapsed = time.GetElapsedTime(started);
                if (options.MaxElapsedTime > TimeSpan.Zero && elapsed + delay > options.MaxElapsedTime)
                {
                    return new SendResult(SendOutcome.GaveUp, default, error);
                }
                if (_retryLog.ShouldLog(out var suppressed)) logger.WillRetry(request.Samples, attempt, error.Message, delay, suppressed);
                await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
