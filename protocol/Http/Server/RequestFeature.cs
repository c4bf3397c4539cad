using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Collector.Protocol.Http.Server;

/// <summary>
/// The request as <see cref="HttpContext.Request"/> sees it, and its lifetime: <see cref="RequestAborted"/> fires
/// when the connection is torn down under the handler (the server stopping past its grace period), and
/// <see cref="Abort"/> tears it down without an answer.
/// </summary>
internal sealed class RequestFeature(RequestHead head, CancellationToken aborted, Action abort) : IHttpRequestFeature, IHttpRequestLifetimeFeature
{
    public string Protocol { get; set; } = head.Protocol;

    public string Scheme { get; set; } = "http";

    public string Method { get; set; } = head.Method;

    public string PathBase { get; set; } = "";

    public string Path { get; set; } = head.Path;

    public string QueryString { get; set; } = head.QueryString;

    public string RawTarget { get; set; } = head.RawTarget;

    public IHeaderDictionary Headers { get; set; } = head.Headers;

    /// <summary>Empty: a body the client sent has been read and dropped before the handler runs.</summary>
    public Stream Body { get; set; } = Stream.Null;

    public CancellationToken RequestAborted { get; set; } = aborted;

    /// <summary>True once the handler asked for the connection to be dropped.</summary>
    public bool AbortRequested { get; private set; }

    public void Abort()
    {
        AbortRequested = true;
        abort();
    }
}
