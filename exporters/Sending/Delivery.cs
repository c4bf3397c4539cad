using Collector.Core.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Collector.Exporters.Sending;

/// <summary>
/// Sends one request with retries and books the outcome: sent, dropped (with the reason logged, rate-limited),
/// or accepted in part (logged and counted). Shared by the queue consumers and the queueless path.
/// </summary>
internal sealed class Delivery(RetryingSender sender, ExporterCounters counters, TimeProvider time, ILogger logger)
{
    private static readonly TimeSpan LogInterval = TimeSpan.FromSeconds(10);

    private readonly LogThrottle _dropLog = new(time, LogInterval);
    private readonly LogThrottle _partialLog = new(time, LogInterval);

    /// <exception cref="OperationCanceledException">The exporter is stopping; the request is neither sent nor counted.</exception>
    public async Task<SendResult> SendAsync(ExportRequest request, CancellationToken cancellationToken)
    {
        var result = await sender.SendAsync(request, cancellationToken).ConfigureAwait(false);
        switch (result.Outcome)
        {
            case SendOutcome.Sent:
                counters.Sent(request.Samples);
                if (result.Response.IsPartial)
                {
                    counters.Rejected(result.Response.RejectedProfiles);
                    if (_partialLog.ShouldLog(out var suppressedPartial))
                    {
                        logger.PartialSuccess(result.Response.RejectedProfiles, result.Response.ErrorMessage, suppressedPartial);
                    }
                }
                break;
            default:
                counters.SendFailed(request.Samples, result.Error);
                if (_dropLog.ShouldLog(out var suppressed))
                {
                    var outcome = result.Outcome == SendOutcome.Permanent ? "permanent error" : "no more retries";
                    logger.Dropped(request.Samples, result.Error!.Message, outcome, suppressed);
                }
                break;
        }
        return result;
    }
}
