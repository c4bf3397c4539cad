using Collector.Protocol.Grpc;

namespace Collector.Protocol.Tests.Grpc;

public class OtlpStatusMappingTests
{
    [Fact]
    public void Exactly_the_codes_the_otlp_spec_lists_are_retryable()
    {
        GrpcStatusCode[] retryable =
        [
            GrpcStatusCode.Cancelled, GrpcStatusCode.DeadlineExceeded, GrpcStatusCode.Aborted,
            GrpcStatusCode.OutOfRange, GrpcStatusCode.Unavailable, GrpcStatusCode.DataLoss,
        ];

        foreach (var code in Enum.GetValues<GrpcStatusCode>())
        {
            Assert.Equal(retryable.Contains(code), OtlpStatusMapping.IsRetryable(code, hasRetryInfo: false));
            Assert.Equal(retryable.Contains(code) || code == GrpcStatusCode.ResourceExhausted, OtlpStatusMapping.IsRetryable(code, hasRetryInfo: true));
        }
    }

    [Theory]
    [InlineData(GrpcStatusCode.OK, 200)]
    [InlineData(GrpcStatusCode.Cancelled, 503)]
    [InlineData(GrpcStatusCode.Unknown, 500)]
    [InlineData(GrpcStatusCode.InvalidArgument, 400)]
    [InlineData(GrpcStatusCode.DeadlineExceeded, 503)]
    [InlineData(GrpcStatusCode.NotFound, 500)]
    [InlineData(GrpcStatusCode.PermissionDenied, 403)]
    [InlineData(GrpcStatusCode.ResourceExhausted, 429)]
    [InlineData(GrpcStatusCode.FailedPrecondition, 500)]
    [InlineData(GrpcStatusCode.Aborted, 503)]
    [InlineData(GrpcStatusCode.OutOfRange, 503)]
    [InlineData(GrpcStatusCode.Unimplemented, 404)]
    [InlineData(GrpcStatusCode.Internal, 500)]
    [InlineData(GrpcStatusCode.Unavailable, 503)]
    [InlineData(GrpcStatusCode.DataLoss, 503)]
    [InlineData(GrpcStatusCode.Unauthenticated, 401)]
    public void Maps_grpc_codes_to_http_as_the_collector_does(GrpcStatusCode code, int status)
    {
        Assert.Equal(status, OtlpStatusMapping.ToHttpStatus(code));
    }

    [Fact]
    public void A_retryable_code_maps_to_a_retryable_http_status()
    {
        foreach (var code in Enum.GetValues<GrpcStatusCode>())
        {
            Assert.Equal(OtlpStatusMapping.IsRetryable(code, hasRetryInfo: true), OtlpStatusMapping.IsRetryableHttpStatus(OtlpStatusMapping.ToHttpStatus(code)));
        }
    }

    [Theory]
    [InlineData(400, GrpcStatusCode.Internal)]
    [InlineData(401, GrpcStatusCode.Unauthenticated)]
    [InlineData(403, GrpcStatusCode.PermissionDenied)]
    [InlineData(404, GrpcStatusCode.Unimplemented)]
    [InlineData(429, GrpcStatusCode.Unavailable)]
    [InlineData(502, GrpcStatusCode.Unavailable)]
    [InlineData(503, GrpcStatusCode.Unavailable)]
    [InlineData(504, GrpcStatusCode.Unavailable)]
    [InlineData(500, GrpcStatusCode.Unknown)]
    [InlineData(200, GrpcStatusCode.Unknown)]
    public void Maps_http_statuses_without_grpc_status_as_the_grpc_spec_does(int status, GrpcStatusCode code)
    {
        Assert.Equal(code, OtlpStatusMapping.FromHttpStatus(status));
    }
}
