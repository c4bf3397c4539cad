using Collector.Core.Components;
using Collector.Protocol.Http;

namespace Collector.Extensions.HealthCheck;

/// <summary>Options of the <c>health_check</c> extension, with the Collector's (legacy mode) keys and defaults.</summary>
public sealed class HealthCheckOptions : IComponentOptions
{
    /// <summary>host:port; localhost (loopback only) unless configured otherwise.</summary>
    public string Endpoint { get; set; } = "localhost:13133";

    public string Path { get; set; } = "/";

    public PipelineCheckOptions CheckCollectorPipeline { get; set; } = new();

    public IEnumerable<OptionsError> Validate()
    {
        if (!ListenAddress.TryParse(Endpoint, out _, out var error))
        {
            yield return new OptionsError("endpoint", error);
        }
        if (!Path.StartsWith('/'))
        {
            yield return new OptionsError("path", $"\"{Path}\" must start with /");
        }
        if (CheckCollectorPipeline.ExporterFailureThreshold < 1)
        {
            yield return new OptionsError("check_collector_pipeline::exporter_failure_threshold", "must be at least 1");
        }
    }
}

/// <summary>
/// When an exporter counts as failing persistently: its last <see cref="ExporterFailureThreshold"/> sends all
/// failed (no success in between). The Collector's legacy extension ignores this section today; ours uses it,
/// and on by default, since an exporter that can no longer send is the failure an operator most needs to see.
/// </summary>
public sealed class PipelineCheckOptions
{
    public bool Enabled { get; set; } = true;

    public int ExporterFailureThreshold { get; set; } = 5;
}
