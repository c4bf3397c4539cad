namespace Collector.Core.Extensions;

/// <summary>
/// An extension that decides whether a request may be served, from its headers (gRPC metadata or HTTP headers).
/// Receivers name it with <c>auth: {authenticator: id}</c> and find it through
/// <see cref="Components.IComponentHost.GetExtension"/> when they start.
/// <para>Called concurrently, once per request, before the body is read: it must be quick and thread-safe.</para>
/// </summary>
public interface IServerAuthenticator
{
    /// <summary>Null when the request is authenticated; otherwise why not, for the UNAUTHENTICATED / 401 answer.</summary>
    string? Authenticate(IRequestHeaders headers);
}

/// <summary>The headers of one request, as the transport received them; names are case-insensitive.</summary>
public interface IRequestHeaders
{
    /// <summary>The first value of the header, or null when the request has none.</summary>
    string? First(string name);
}
