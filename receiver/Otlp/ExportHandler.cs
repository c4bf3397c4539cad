using Collector.Core.Components;
using Collector.Core.Diagnostics;
using Collector.Core.Model;
using Collector.Otlp;
using Collector.Otlp.Proto.Collector;
using Collector.Protocol.Grpc;
using Microsoft.Extensions.Logging;

namespace Collector.Receivers.Otlp;

/// <summary>
/// What both transports do with a decoded request: check that it stands alone, turn it into the model, and
/// push it downstream, counting the outcome. An invalid request is refused whole; nothing of it goes on.
/// </summary>
internal sealed class ExportHandler
{
    /// <summary>Enough problems to find the fault, few enough to fit a header.</summary>
    private const int ProblemsInMessage = 3;

    private static readonly TimeSpan LogInterval = TimeSpan.FromSeconds(10);

    private readonly IProfilesConsumer _next;
    private readonly ILogger _logger;
    private readonly LogThrottle _invalidLog;
    private readonly LogThrottle _failureLog;

    public ExportHandler(IProfilesConsumer next, ILogger logger, TimeProvider time)
    {
        _next = next;
        _logger = logger;
        _invalidLog = new LogThrottle(time, LogInterval);
        _failureLog = new LogThrottle(time, LogInterval);
    }

    /// <summary>
    /// Never throws for what the request or the pipeline did, except <see cref="OperationCanceledException"/>
    /// when <paramref name="cancellationToken"/> fires (deadline or client gone), which the transport answers.
    /// </summary>
    public async ValueTask<ExportResult> ExportAsync(ExportProfilesServiceRequest request, TransportCounters counters, string remote, CancellationToken cancellationToken)
    {
        var samples = CountSamples(request);
        // As the Collector does: an export without samples is acknowledged without bothering the pipeline (and
        // without validation, which would fault an empty request for lacking a dictionary).
        if (samples == 0)
        {
            counters.Accepted(0);
            return ExportResult.Ok;
        }
        var problems = ExportValidator.ValidateRequired(request);
        if (problems.Count > 0)
        {
            return Invalid(counters, samples, remote, Describe(problems));
        }
        ProfileBatch batch;
        try
        {
            batch = OtlpToModel.ToBatch(request);
        }
        catch (OtlpFormatException error)
        {
            return Invalid(counters, samples, remote, error.Message);
        }
        try
        {
            await _next.ConsumeAsync(batch, cancellationToken).ConfigureAwait(false);
        }
        catch (RetryableException error)
        {
            counters.Refused(samples);
            _logger.PipelineRefused(counters.Transport, samples, error.Message);
            return new ExportResult(GrpcStatusCode.Unavailable, "the pipeline cannot take more data now, retry later: " + error.Message);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            counters.Refused(samples);
            throw;
        }
        catch (Exception error)
        {
            // Any other failure is permanent for this batch (IProfilesConsumer's contract): the client must not retry.
            counters.Refused(samples);
            if (_failureLog.ShouldLog(out var suppressed)) _logger.PipelineFailed(counters.Transport, samples, error.Message, suppressed, error);
            return new ExportResult(GrpcStatusCode.Internal, "the pipeline failed to process the data: " + error.Message);
        }
        counters.Accepted(samples);
        return ExportResult.Ok;
    }

    /// <summary>A request that could not be decoded at all (malformed protobuf or JSON).</summary>
    public ExportResult Malformed(TransportCounters counters, string remote, string reason) =>
        Invalid(counters, 0, remote, reason);

    private ExportResult Invalid(TransportCounters counters, int samples, string remote, string reason)
    {
        counters.Failed(samples);
        if (_invalidLog.ShouldLog(out var suppressed)) _logger.InvalidRequest(counters.Transport, remote, reason, suppressed);
        return new ExportResult(GrpcStatusCode.InvalidArgument, reason);
    }

    private static string Describe(IReadOnlyList<string> problems)
    {
        var shown = string.Join("; ", problems.Take(ProblemsInMessage));
        var more = problems.Count > ProblemsInMessage ? $" (and {problems.Count - ProblemsInMessage} more problems)" : "";
        return $"invalid export, refused whole: {shown}{more}";
    }

    private static int CountSamples(ExportProfilesServiceRequest request)
    {
        var count = 0;
        foreach (var resource in request.ResourceProfiles)
        {
            foreach (var scope in resource.ScopeProfiles)
            {
                foreach (var profile in scope.Profiles) count += profile.Samples.Count;
            }
        }
        return count;
    }
}
