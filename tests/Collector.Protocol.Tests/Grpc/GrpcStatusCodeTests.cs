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

    [Theory]
    [InlineData("application/grpc", true)]
    [InlineData("application/grpc+proto", true)]
    [InlineData("Application/GRPC; charset=utf-8", true)]
    [InlineData("application/grpc+json", false)]
    [InlineData("application/grpc-web", false)]
    [InlineData("application/x-protobuf", false)]
    [InlineData(null, false)]
    public void Recognises_the_grpc_content_types(string? contentType, bool expected)
    {
        Assert.Equal(expected, GrpcProtocol.IsGrpcContentType(contentType));
    }

    [Theory]
    [InlineData(null, true, GrpcCompression.Identity)]
    [InlineData("", true, GrpcCompression.Identity)]
    [InlineData("identity", true, GrpcCompression.Identity)]
    [InlineData("gzip", true, GrpcCompression.Gzip)]
    [InlineData("zstd", false, GrpcCompression.Identity)]
    public void Knows_gzip_and_identity(string? header, bool known, GrpcCompression expected)
    {
        Assert.Equal(known, GrpcCompressions.TryParse(header, out var compression));
        Assert.Equal(expected, compression);
    }

    [Fact]
    public void The_export_paths_are_those_of_the_otlp_spec()
    {
        Assert.Equal("/opentelemetry.proto.collector.profiles.v1development.ProfilesService/Export", OtlpPaths.GrpcProfilesExport);
        Assert.Equal("/v1development/profiles", OtlpPaths.HttpProfiles);
    }
}
