using Collector.Core.Components;
using Collector.Exporters.Debug;
using Collector.Exporters.File;
using Collector.Exporters.Flamegraph;
using Collector.Exporters.Otlp;
using Collector.Exporters.Pprof;
using Collector.Exporters.Prometheus;
using Collector.Extensions.BearerTokenAuth;
using Collector.Extensions.FileStorage;
using Collector.Extensions.HealthCheck;
using Collector.Processors.Filter;
using Collector.Processors.MemoryLimiter;
using Collector.Processors.PidLifecycle;
using Collector.Processors.ResourceDetection;
using Collector.Processors.Resources;
using Collector.Processors.Symbolization;
using Collector.Receivers.Ebpf;
using Collector.Receivers.Otlp;
using Collector.Receivers.OtlpJsonFile;

namespace Collector.Host;

/// <summary>Every component type this build of the collector offers. Adding a component means adding its factory here.</summary>
internal static class ComponentCatalog
{
    public static ComponentRegistry Create() => new(
    [
        new EbpfProfilingReceiverFactory(),
        new OtlpJsonFileReceiverFactory(),
        new OtlpReceiverFactory(),
        new BearerTokenAuthExtensionFactory(),
        new PidLifecycleProcessorFactory(),
        new SymbolizationProcessorFactory(),
        new ResourceProcessorFactory(),
        new FilterProcessorFactory(),
        new ResourceDetectionProcessorFactory(),
        new MemoryLimiterProcessorFactory(),
        new FileExporterFactory(),
        new DebugExporterFactory(),
        new OtlpGrpcExporterFactory(),
        new OtlpHttpExporterFactory(),
        new FileStorageExtensionFactory(),
        new PrometheusExporterFactory(),
        new PprofExporterFactory(),
        new FlamegraphExporterFactory(),
        new HealthCheckExtensionFactory(),
    ]);
}
