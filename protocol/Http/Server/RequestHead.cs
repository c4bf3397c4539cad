using Microsoft.AspNetCore.Http;

namespace Collector.Protocol.Http.Server;

/// <summary>A parsed request line and header section, with what the connection must know to frame the exchange.</summary>
internal sealed class RequestHead
{
    public required string Method { get; init; }

    /// <summary>The request target as sent, e.g. <c>/metrics?x=1</c>.</summary>
    public required string RawTarget { get; init; }

    /// <summary>The decoded path (an encoded slash stays <c>%2F</c>), empty for the <c>*</c> target.</summary>
    public required string Path { get; init; }

    /// <summary>The query with its leading <c>?</c>, or empty.</summary>
    public required string QueryString { get; init; }

    /// <summary><see cref="HttpProtocol.Http11"/> or <see cref="HttpProtocol.Http10"/>.</summary>
    public required string Protocol { get; init; }

    public required IHeaderDictionary Headers { get; init; }

    /// <summary>Bytes of body that follow the head (0 without a Content-Length).</summary>
    public long ContentLength { get; init; }

    /// <summary>Whether the client wants the connection kept after the response (HTTP/1.1 unless <c>close</c>, HTTP/1.0 only with <c>keep-alive</c>).</summary>
    public bool KeepAlive { get; init; }

    /// <summary>The client waits for <c>100 Continue</c> before it sends the body.</summary>
    public bool ExpectContinue { get; init; }

    public bool IsHead => HttpMethods.IsHead(Method);
}
