namespace Collector.Protocol.Grpc;

/// <summary>Where OTLP profiles exports go, on the gRPC and the HTTP transport.</summary>
public static class OtlpPaths
{
    public const string ProfilesService = "opentelemetry.proto.collector.profiles.v1development.ProfilesService";

    /// <summary>The HTTP/2 <c>:path</c> of the unary Export call.</summary>
    public const string GrpcProfilesExport = "/" + ProfilesService + "/Export";

    /// <summary>OTLP/HTTP path for profiles; not <c>/v1/profiles</c> while the signal is in development.</summary>
    public const string HttpProfiles = "/v1development/profiles";
}
