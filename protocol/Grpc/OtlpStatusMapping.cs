namespace Collector.Protocol.Grpc;

/// <summary>
/// What OTLP makes of gRPC and HTTP statuses: which failures an exporter may retry (OTLP specification,
/// "Failures"), and the HTTP status an OTLP/HTTP receiver answers for a gRPC code (as the Collector's otlp
/// receiver does).
/// </summary>
public static class OtlpStatusMapping
{
    /// <summary>
    /// CANCELLED, DEADLINE_EXCEEDED, ABORTED, OUT_OF_RANGE, UNAVAILABLE and DATA_LOSS are retryable;
    /// RESOURCE_EXHAUSTED only when the server sent RetryInfo, its way of saying the condition will pass.
    /// </summary>
    public static bool IsRetryable(GrpcStatusCode code, bool hasRetryInfo) => code switch
    {
        GrpcStatusCode.Cancelled or GrpcStatusCode.DeadlineExceeded or GrpcStatusCode.Aborted
            or GrpcStatusCode.OutOfRange or GrpcStatusCode.Unavailable or GrpcStatusCode.DataLoss => true,
        GrpcStatusCode.ResourceExhausted => hasRetryInfo,
        _ => false,
    };

    /// <summary>OTLP/HTTP: 429, 502, 503 and 504 are retryable (honouring <c>Retry-After</c>); every other failure is not.</summary>
    public static bool IsRetryableHttpStatus(int status) => status is 429 or 502 or 503 or 504;

    /// <summary>
    /// The HTTP status for a gRPC code: the retryable codes become 503 and RESOURCE_EXHAUSTED 429, so an OTLP/HTTP
    /// client retries exactly what a gRPC client would; the client errors map to their HTTP namesakes.
    /// </summary>
    public static int ToHttpStatus(GrpcStatusCode code) => code switch
    {
        GrpcStatusCode.OK => 200,
        GrpcStatusCode.Unavailable or GrpcStatusCode.Cancelled or GrpcStatusCode.DeadlineExceeded
            or GrpcStatusCode.Aborted or GrpcStatusCode.OutOfRange or GrpcStatusCode.DataLoss => 503,
        GrpcStatusCode.ResourceExhausted => 429,
        GrpcStatusCode.InvalidArgument => 400,
        GrpcStatusCode.Unauthenticated => 401,
        GrpcStatusCode.PermissionDenied => 403,
        GrpcStatusCode.Unimplemented => 404,
        _ => 500,
    };

    /// <summary>
    /// The gRPC spec's mapping for a client that got an HTTP response without <c>grpc-status</c> (a proxy's error
    /// page, a server that is not gRPC): 400 INTERNAL, 401 UNAUTHENTICATED, 403 PERMISSION_DENIED,
    /// 404 UNIMPLEMENTED, 429/502/503/504 UNAVAILABLE, anything else UNKNOWN.
    /// </summary>
    public static GrpcStatusCode FromHttpStatus(int status) => status switch
    {
        400 => GrpcStatusCode.Internal,
        401 => GrpcStatusCode.Unauthenticated,
        403 => GrpcStatusCode.PermissionDenied,
        404 => GrpcStatusCode.Unimplemented,
        429 or 502 or 503 or 504 => GrpcStatusCode.Unavailable,
        _ => GrpcStatusCode.Unknown,
    };
}
