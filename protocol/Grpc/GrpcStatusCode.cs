namespace Collector.Protocol.Grpc;

/// <summary>The gRPC status codes (grpc/doc/statuscodes.md); the numbers are what travels in <c>grpc-status</c>.</summary>
public enum GrpcStatusCode
{
    OK = 0,
    Cancelled = 1,
    Unknown = 2,
    InvalidArgument = 3,
    DeadlineExceeded = 4,
    NotFound = 5,
    AlreadyExists = 6,
    PermissionDenied = 7,
    ResourceExhausted = 8,
    FailedPrecondition = 9,
    Aborted = 10,
    OutOfRange = 11,
    Unimplemented = 12,
    Internal = 13,
    Unavailable = 14,
    DataLoss = 15,
    Unauthenticated = 16,
}

public static class GrpcStatusCodes
{
    /// <summary>The canonical upper-case name (<c>UNAVAILABLE</c>) used in logs and by other implementations; the number for codes outside 0..16.</summary>
    public static string CanonicalName(this GrpcStatusCode code) => code switch
    {
        GrpcStatusCode.OK => "OK",
        GrpcStatusCode.Cancelled => "CANCELLED",
        GrpcStatusCode.Unknown => "UNKNOWN",
        GrpcStatusCode.InvalidArgument => "INVALID_ARGUMENT",
        GrpcStatusCode.DeadlineExceeded => "DEADLINE_EXCEEDED",
        GrpcStatusCode.NotFound => "NOT_FOUND",
        GrpcStatusCode.AlreadyExists => "ALREADY_EXISTS",
        GrpcStatusCode.PermissionDenied => "PERMISSION_DENIED",
        GrpcStatusCode.ResourceExhausted => "RESOURCE_EXHAUSTED",
        GrpcStatusCode.FailedPrecondition => "FAILED_PRECONDITION",
        GrpcStatusCode.Aborted => "ABORTED",
        GrpcStatusCode.OutOfRange => "OUT_OF_RANGE",
        GrpcStatusCode.Unimplemented => "UNIMPLEMENTED",
        GrpcStatusCode.Internal => "INTERNAL",
        GrpcStatusCode.Unavailable => "UNAVAILABLE",
        GrpcStatusCode.DataLoss => "DATA_LOSS",
        GrpcStatusCode.Unauthenticated => "UNAUTHENTICATED",
        _ => ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// Reads a <c>grpc-status</c> value. A missing or unreadable value is <see cref="GrpcStatusCode.Unknown"/>, as
    /// the spec asks of clients; numbers outside 0..16 are kept so they can be reported as received.
    /// </summary>
    public static GrpcStatusCode Parse(string? headerValue) =>
        int.TryParse(headerValue, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number)
            ? (GrpcStatusCode)number
            : GrpcStatusCode.Unknown;

    /// <summary>The <c>grpc-status</c> header value.</summary>
    public static string HeaderValue(this GrpcStatusCode code) => ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
