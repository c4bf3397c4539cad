namespace Collector.Protocol.Grpc;

/// <summary>Message compressions we implement: none, and gzip (the one every gRPC implementation has).</summary>
public enum GrpcCompression
{
    Identity,
    Gzip,
}

public static class GrpcCompressions
{
    /// <summary>What a sender advertises in <c>grpc-accept-encoding</c>.</summary>
    public const string AcceptEncoding = "gzip,identity";

    /// <summary>The <c>grpc-encoding</c> value; absent, empty and <c>identity</c> all mean uncompressed.</summary>
    public static bool TryParse(string? encoding, out GrpcCompression compression)
    {
        compression = GrpcCompression.Identity;
        if (string.IsNullOrEmpty(encoding) || string.Equals(encoding, "identity", StringComparison.OrdinalIgnoreCase)) return true;
        if (!string.Equals(encoding, "gzip", StringComparison.OrdinalIgnoreCase)) return false;
        compression = GrpcCompression.Gzip;
        return true;
    }

    public static string HeaderValue(this GrpcCompression compression) => compression == GrpcCompression.Gzip ? "gzip" : "identity";
}
