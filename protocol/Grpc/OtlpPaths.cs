namespace Collector.Protocol.Grpc;

/// <summary>Where OTLP/HTTP profiles exports go (gRPC's method path comes from the generated service descriptor).</summary>
public static class OtlpPaths
{
    /// <summary>OTLP/HTTP path for profiles; not <c>/v1/profiles</c> while the signal is in development.</summary>
    public const string HttpProfiles = "/v1development/profiles";
}
