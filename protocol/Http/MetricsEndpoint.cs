using Collector.Telemetry.Exposition;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace Collector.Protocol.Http;

/// <summary>
/// Serves a metrics source at <c>/metrics</c> through prometheus-net: Prometheus text 0.0.4 unless the scraper's
/// <c>Accept</c> header asks for OpenMetrics 1.0.0. Used by the self-telemetry endpoint and by the prometheus
/// exporter. Other paths are 404 and other methods 405, as before the library served it.
/// </summary>
public static class MetricsEndpoint
{
    public const string Path = "/metrics";

    public static Task<HttpEndpoint> StartAsync(ListenAddress address, IMetricsSource source, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var mirror = new PrometheusRegistryMirror(source);
        return HttpEndpoint.StartAsync(address, context => ServeAsync(context, mirror), loggerFactory, cancellationToken);
    }

    internal static Task ServeAsync(HttpContext context, PrometheusRegistryMirror mirror)
    {
        if (!context.Request.Path.Equals(Path, StringComparison.Ordinal))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            context.Response.Headers.Allow = "GET, HEAD";
            return Task.CompletedTask;
        }
        // The registry is chosen per scrape (the mirror may have rebuilt it); the middleware is a small object.
        var middleware = new MetricServerMiddleware(static _ => Task.CompletedTask, new MetricServerMiddleware.Settings { Registry = mirror.Refresh() });
        return middleware.Invoke(context);
    }
}
