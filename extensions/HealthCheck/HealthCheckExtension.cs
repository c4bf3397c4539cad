using Collector.Core.Components;
using Collector.Core.Telemetry;
using Collector.Protocol.Http;
using Collector.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Collector.Extensions.HealthCheck;

/// <summary>
/// Answers <c>GET {path}</c> on its endpoint: 200 <c>{"status":"Server available","upSince":...,"uptime":...}</c>
/// while every pipeline runs, 503 <c>{"status":"Server not available"}</c> before they have all started, once
/// shutdown begins, after any component reported a fatal error, and while an exporter fails persistently
/// (see <see cref="PipelineCheckOptions"/>). Changes between the two are logged with their reasons.
/// </summary>
public sealed class HealthCheckExtension : IExtension
{
    private readonly HealthCheckOptions _options;
    private readonly PipelineHealth _health;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private HttpEndpoint? _endpoint;
    private bool _stopped;
    private int _lastHealthy = -1;

    public HealthCheckExtension(ComponentCreateSettings settings, HealthCheckOptions options)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _health = settings.Telemetry.Health;
        _loggerFactory = settings.LoggerFactory;
        _logger = settings.CreateLogger();
    }

    /// <summary>Where it listens, once started (a configured port 0 shows the one picked).</summary>
    public IReadOnlyList<string> Addresses => _endpoint?.Addresses ?? [];

    public async Task StartAsync(IComponentHost host, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_stopped || _endpoint is not null) return;
        }
        var endpoint = await HttpEndpoint.StartAsync(ListenAddress.Parse(_options.Endpoint), ServeAsync, _loggerFactory, cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            if (!_stopped)
            {
                _endpoint = endpoint;
                HealthCheckLog.Listening(_logger, string.Join(", ", endpoint.Addresses.Select(a => a + _options.Path)));
                return;
            }
        }
        await endpoint.DisposeAsync().ConfigureAwait(false);
    }

    public async Task ShutdownAsync(CancellationToken cancellationToken)
    {
        HttpEndpoint? endpoint;
        lock (_gate)
        {
            _stopped = true;
            endpoint = _endpoint;
            _endpoint = null;
        }
        if (endpoint is not null) await endpoint.DisposeAsync().ConfigureAwait(false);
    }

    private async Task ServeAsync(HttpContext context)
    {
        if (!context.Request.Path.Equals(_options.Path, StringComparison.Ordinal))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        var threshold = _options.CheckCollectorPipeline.Enabled ? _options.CheckCollectorPipeline.ExporterFailureThreshold : 0;
        var report = _health.Check(threshold);
        LogChange(report);
        var body = HealthResponse.Body(report);
        context.Response.StatusCode = report.Healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = body.Length;
        if (HttpMethods.IsHead(context.Request.Method)) return;
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    private void LogChange(HealthReport report)
    {
        var healthy = report.Healthy ? 1 : 0;
        if (Interlocked.Exchange(ref _lastHealthy, healthy) == healthy) return;
        if (report.Healthy) HealthCheckLog.Available(_logger);
        else HealthCheckLog.NotAvailable(_logger, string.Join("; ", report.Problems));
    }
}
