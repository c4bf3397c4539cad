using Microsoft.AspNetCore.Http;

namespace Collector.Receivers.Otlp;

/// <summary>
/// An extension that decides whether a request may be served, from its headers (gRPC metadata or HTTP
/// headers). Receivers name it with <c>auth: {authenticator: id}</c> and look it up once they start.
/// <para>Called concurrently, once per request, before the body is read: it must be quick and thread-safe.</para>
/// </summary>
public interface IServerAuthenticator
{
    /// <summary>Null when the request is authenticated; otherwise why not, for the UNAUTHENTICATED / 401 answer.</summary>
    string? Authenticate(IHeaderDictionary headers);
}
