namespace Collector.Exporters.Sending;

/// <summary>
/// Sends one request once: one OTLP export over one protocol. The client applies its own per-attempt timeout
/// (a timeout is a retryable <see cref="ExportFailedException"/>); cancellation of the token passed in means
/// the exporter is stopping, and surfaces as <see cref="OperationCanceledException"/>.
/// </summary>
public interface IExportClient : IDisposable
{
    /// <exception cref="ExportFailedException">The attempt failed; the exception says whether a retry may help.</exception>
    Task<ExportResponse> SendAsync(ExportRequest request, CancellationToken cancellationToken);
}
