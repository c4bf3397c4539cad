using Collector.Core.Components;
using Collector.Core.Pipeline;
using Collector.Core.Telemetry;
using Collector.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Collector.Host.Service;

/// <summary>
/// Owns the pipeline graph for the lifetime of the host: builds and starts it when the host starts, shuts it
/// down (receivers, processors, exporters, extensions) when the host stops, and decides what a component's
/// fatal error means for the whole collector.
/// </summary>
internal sealed class CollectorService(ServiceDefinition service, ILoggerFactory loggerFactory, TimeProvider time, IHostApplicationLifetime lifetime, CollectorTelemetry telemetry)
    : IHostedService, IComponentHost
{
    private readonly ILogger _logger = loggerFactory.CreateLogger("service");
    private readonly Lock _gate = new();
    private readonly HashSet<ComponentId> _failedReceivers = [];
    private PipelineGraph? _graph;

    /// <summary>True once a fatal error stopped the collector; the process then exits with 1.</summary>
    public bool FailedFatally { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        HostLog.Starting(_logger, service.Pipelines.Count);
        _graph = PipelineGraph.Build(service, loggerFactory, time, telemetry);
        await _graph.StartAsync(this, cancellationToken).ConfigureAwait(false);
        HostLog.Ready(_logger);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_graph is null) return;
        HostLog.ShuttingDown(_logger);
        await _graph.ShutdownAsync(cancellationToken).ConfigureAwait(false);
        HostLog.ShutdownComplete(_logger);
    }

    public IExtension? GetExtension(ComponentId id) => _graph?.FindExtension(id);

    /// <summary>
    /// A receiver that fails while others keep receiving is logged and the rest runs (a sidecar whose eBPF
    /// support is missing can still forward OTLP). Any other fatal error stops the collector with exit code 1.
    /// </summary>
    public void ReportFatalError(ComponentId component, Exception error)
    {
        // Whatever happens next, not every pipeline runs any more: the health check says so.
        telemetry.Health.ReportFatalError(component, error);
        bool stop;
        lock (_gate)
        {
            var isReceiver = service.Receivers.ContainsKey(component);
            if (isReceiver) _failedReceivers.Add(component);
            stop = !isReceiver || _failedReceivers.Count >= service.Receivers.Count;
            FailedFatally |= stop;
        }
        HostLog.ComponentFailed(_logger, component.ToString(), stop ? "stopping the collector" : "the other receivers keep running", error);
        if (stop) lifetime.StopApplication();
    }
}
