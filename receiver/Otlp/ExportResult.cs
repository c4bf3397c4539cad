using Collector.Protocol.Grpc;

namespace Collector.Receivers.Otlp;

/// <summary>How an export ended, as a gRPC status; the HTTP transport maps it to an HTTP status.</summary>
internal readonly record struct ExportResult(GrpcStatusCode Code, string Message)
{
    public static ExportResult Ok => new(GrpcStatusCode.OK, "");

    public bool IsOk => Code == GrpcStatusCode.OK;
}
