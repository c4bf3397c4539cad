using Collector.Telemetry.Exposition;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Collector.Protocol.Http;

/// <summary>
/// Serves a metrics source at <c>/metrics</c> in the format the scraper's <c>Accept</c> header asks for
/// (Prometheus text 0.0.4 unless it asks for OpenMetrics 1.0.0). Used by the self-telemetry endpoint and by
/// the prometheus exporter.
/// </summary>
public static class MetricsEndpoint
{
    public const string Path = "/metrics";

    public static Task<HttpEndpoint> StartAsync(ListenAddress address, IMetricsSource source, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        return HttpEndpoint.StartAsync(address, context => ServeAsync(context, source), loggerFactory, cancellationToken);
    }

    internal static async Task ServeAsync(HttpContext context, IMetricsSource source)
    {
        if (!context.Request.Path.Equals(Path, StringComparison.Ordinal))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            context.Response.Headers.Allow = "GET, HEAD";
            return;
        }
        var format = ExpositionFormats.Negotiate(context.Request.Headers.Accept.ToString());
        var body = ExpositionWriter.WriteUtf8(source.Collect(), format);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = format.ContentType();
        context.Response.ContentLength = body.Length;
        if (HttpMethods.IsHead(context.Request.Method)) return;
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }
}
