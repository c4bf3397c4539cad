using Collector.Core.Pipeline;
using Collector.Core.Telemetry;
using Collector.Protocol.Http;
using Collector.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Collector.Host.Service;

/// <summary>
/// Serves the collector's own metrics at <c>http://{host}:{port}/metrics</c> (<c>service.telemetry.metrics</c>;
/// nothing at level none). It starts before the pipelines and stops after them, so shutdown can be watched.
/// <para>Unlike the Collector, a port that cannot be bound does not stop the collector: profiling and shipping
/// data matter more than its self-report, so the problem is logged as a warning and Prometheus sees the target
/// down.</para>
/// </summary>
internal sealed class TelemetryEndpointService(TelemetrySettings settings, CollectorTelemetry telemetry, ILoggerFactory loggerFactory) : IHostedService, IAsyncDisposable
{
    private readonly ILogger _logger = loggerFactory.CreateLogger("service/telemetry");
    private HttpEndpoint? _endpoint;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (telemetry.Level == TelemetryLevel.None) return;
        var address = new ListenAddress(settings.MetricsHost, settings.MetricsPort);
        try
        {
            _endpoint = await MetricsEndpoint.StartAsync(address, telemetry, loggerFactory, cancellationToken).ConfigureAwait(false);
            HostLog.TelemetryServing(_logger, string.Join(", ", _endpoint.Addresses.Select(a => a + MetricsEndpoint.Path)), telemetry.Level.ToString().ToLowerInvariant());
        }
        catch (Exception error) when (error is IOException or System.Net.Sockets.SocketException)
        {
            HostLog.TelemetryNotServed(_logger, address.ToString(), Innermost(error).Message);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync().ConfigureAwait(false);

    public async ValueTask DisposeAsync()
    {
        var endpoint = Interlocked.Exchange(ref _endpoint, null);
        if (endpoint is not null) await endpoint.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>The endpoint wraps "address already in use" in a message naming the address; the inner one says it best.</summary>
    private static Exception Innermost(Exception error)
    {
        while (error.InnerException is not null) error = error.InnerException;
        return error;
    }
}
