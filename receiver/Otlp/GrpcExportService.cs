using Collector.Otlp.Proto.Collector;
using Grpc.Core;

namespace Collector.Receivers.Otlp;

/// <summary>
/// <c>ProfilesService/Export</c>, the service Grpc.Tools generates from our profiles_service.proto, served by
/// Grpc.AspNetCore. The library does the wire: framing, gzip (through <see cref="BoundedGzipProvider"/>), the
/// message size limit, <c>grpc-timeout</c> deadlines (<see cref="ServerCallContext.CancellationToken"/> fires and
/// the client hears DEADLINE_EXCEEDED) and the status trailers. Admission (credentials, the concurrency limit)
/// happened before the body was read, in <see cref="GrpcAdmission"/>.
/// </summary>
internal sealed class GrpcExportService(OtlpReceiverContext receiver) : ProfilesService.ProfilesServiceBase
{
    /// <summary>An empty response: no partial success (a request is taken or refused whole).</summary>
    private static readonly ExportProfilesServiceResponse Accepted = new();

    /// <summary>grpc-message is a header: keep it well below what clients accept for a header list.</summary>
    private const int MaxMessageLength = 1024;

    public override async Task<ExportProfilesServiceResponse> Export(ExportProfilesServiceRequest request, ServerCallContext context)
    {
        var http = context.GetHttpContext();
        GrpcAdmission.MarkHandled(http);
        var result = await receiver.Handler.ExportAsync(request, receiver.Grpc, OtlpReceiverContext.Remote(http), context.CancellationToken).ConfigureAwait(false);
        if (result.IsOk) return Accepted;
        var message = result.Message.Length > MaxMessageLength ? result.Message[..MaxMessageLength] + "…" : result.Message;
        throw new RpcException(new Status((StatusCode)(int)result.Code, message));
    }
}
