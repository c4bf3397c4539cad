using Collector.Core.Extensions;
using Microsoft.AspNetCore.Http;

namespace Collector.Receivers.Otlp;

/// <summary>A request's headers as authenticators see them: gRPC metadata and HTTP headers alike.</summary>
internal sealed class RequestHeaders(IHeaderDictionary headers) : IRequestHeaders
{
    public string? First(string name) => headers.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;
}
