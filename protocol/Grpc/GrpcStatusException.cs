namespace Collector.Protocol.Grpc;

/// <summary>A call ended, or must end, with this gRPC status; <see cref="Exception.Message"/> is the <c>grpc-message</c>.</summary>
public sealed class GrpcStatusException : Exception
{
    public GrpcStatusException(GrpcStatusCode code, string message) : base(message) => Code = code;

    public GrpcStatusException(GrpcStatusCode code, string message, Exception inner) : base(message, inner) => Code = code;

    public GrpcStatusCode Code { get; }
}
