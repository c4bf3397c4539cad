using Collector.Protocol.Grpc;

namespace Collector.Protocol.Tests.Grpc;

public class GrpcStatusCodeTests
{
    [Fact]
    public void The_seventeen_codes_have_the_numbers_and_names_of_the_spec()
    {
        string[] names =
        [
            "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
            "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
            "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
        ];

        Assert.Equal(names, Enumerable.Range(0, 17).Select(i => ((GrpcStatusCode)i).CanonicalName()));
        Assert.Equal(17, Enum.GetValues<GrpcStatusCode>().Length);
        Assert.Equal("14", GrpcStatusCode.Unavailable.HeaderValue());
        Assert.Equal("99", ((GrpcStatusCode)99).CanonicalName());
    }

    [Theory]
    [InlineData("0", GrpcStatusCode.OK)]
    [InlineData("14", GrpcStatusCode.Unavailable)]
    [InlineData("99", (GrpcStatusCode)99)]
    [InlineData(null, GrpcStatusCode.Unknown)]
    [InlineData("", GrpcStatusCode.Unknown)]
    [InlineData("-1", GrpcStatusCode.Unknown)]
    [InlineData(" 3", GrpcStatusCode.Unknown)]
    [InlineData("UNAVAILABLE", GrpcStatusCode.Unknown)]
    public void Parses_the_status_header(string? header, GrpcStatusCode expected)
    {
        Assert.Equal(expected, GrpcStatusCodes.Parse(header));
    }

    [Fact]
    public void The_http_export_path_is_that_of_the_otlp_spec()
    {
        Assert.Equal("/v1development/profiles", OtlpPaths.HttpProfiles);
    }
}
