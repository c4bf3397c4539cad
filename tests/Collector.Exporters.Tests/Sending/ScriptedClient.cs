using Collector.Exporters.Sending;

namespace Collector.Exporters.Tests.Sending;

/// <summary>An export client that answers from a script and notes the clock at every attempt.</summary>
internal sealed class ScriptedClient(TimeProvider time, Func<int, ExportFailedException?> failure) : IExportClient
{
    public List<DateTimeOffset> Attempts { get; } = [];

    public Task<ExportResponse> SendAsync(ExportRequest request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Attempts.Add(time.GetUtcNow());
        return failure(Attempts.Count) is { } error ? Task.FromException<ExportResponse>(error) : Task.FromResult(ExportResponse.Complete);
    }

    public void Dispose()
    {
    }
}
