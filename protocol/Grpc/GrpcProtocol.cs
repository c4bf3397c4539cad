namespace Collector.Protocol.Grpc;

/// <summary>Header names and values of gRPC over HTTP/2 (grpc/doc/PROTOCOL-HTTP2.md).</summary>
public static class GrpcProtocol
{
    /// <summary>Requests and responses carry this content type, optionally followed by <c>+proto</c> or <c>;params</c>.</summary>
    public const string ContentType = "application/grpc";

    public const string StatusHeader = "grpc-status";

    /// <summary>Percent-encoded UTF-8 (see <see cref="GrpcMessageText"/>).</summary>
    public const string MessageHeader = "grpc-message";

    /// <summary>A base64 <c>google.rpc.Status</c> with details such as RetryInfo (see <see cref="RpcStatus"/>).</summary>
    public const string StatusDetailsHeader = "grpc-status-details-bin";

    public const string TimeoutHeader = "grpc-timeout";

    /// <summary>The compression of the messages in this direction.</summary>
    public const string EncodingHeader = "grpc-encoding";

    /// <summary>The compressions the sender can decode, comma separated.</summary>
    public const string AcceptEncodingHeader = "grpc-accept-encoding";

    /// <summary>Clients send <c>te: trailers</c> so intermediaries know trailers are expected.</summary>
    public const string TeHeader = "te";

    public const string TeTrailers = "trailers";

    /// <summary>
    /// True for <c>application/grpc</c>, <c>application/grpc+proto</c> and those with parameters. Other
    /// sub-types (<c>+json</c>) are not our message format.
    /// </summary>
    public static bool IsGrpcContentType(string? contentType)
    {
        if (contentType is null) return false;
        var mediaType = contentType.AsSpan();
        var semicolon = mediaType.IndexOf(';');
        if (semicolon >= 0) mediaType = mediaType[..semicolon];
        mediaType = mediaType.Trim();
        return mediaType.Equals(ContentType, StringComparison.OrdinalIgnoreCase)
            || mediaType.Equals(ContentType + "+proto", StringComparison.OrdinalIgnoreCase);
    }
}
