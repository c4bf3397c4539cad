using Collector.Core.Components;
using Collector.Core.Telemetry;
using Collector.Exporters.Otlp;
using Collector.Extensions.FileStorage;
using Collector.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Collector.Exporters.Tests.Otlp.Support;

/// <summary>OTLP exporters built through their factories, with retries fast enough for tests unless told otherwise.</summary>
public static class TestExporters
{
    public static OtlpExporter Grpc(string endpoint, Action<OtlpGrpcExporterOptions>? configure = null, TimeProvider? time = null, ILoggerFactory? logs = null, string id = "otlp_grpc", CollectorTelemetry? telemetry = null)
    {
        var options = new OtlpGrpcExporterOptions { Endpoint = endpoint };
        options.Tls.Insecure = true;
        FastRetries(options);
        configure?.Invoke(options);
        return (OtlpExporter)new OtlpGrpcExporterFactory().CreateExporter(Settings(id, time, logs, telemetry), Valid(options));
    }

    public static OtlpExporter Http(string endpoint, Action<OtlpHttpExporterOptions>? configure = null, TimeProvider? time = null, ILoggerFactory? logs = null, string id = "otlp_http")
    {
        var options = new OtlpHttpExporterOptions { Endpoint = endpoint };
        FastRetries(options);
        configure?.Invoke(options);
        return (OtlpExporter)new OtlpHttpExporterFactory().CreateExporter(Settings(id, time, logs), Valid(options));
    }

    public static FileStorageExtension Storage(string directory, string id = "file_storage") =>
        (FileStorageExtension)new FileStorageExtensionFactory().CreateExtension(
            new ComponentCreateSettings { Id = ComponentId.Parse(id), Kind = ComponentKind.Extension, LoggerFactory = NullLoggerFactory.Instance },
            new FileStorageOptions { Directory = directory });

    private static void FastRetries(OtlpExporterOptions options)
    {
        options.RetryOnFailure.InitialInterval = TimeSpan.FromMilliseconds(20);
        options.RetryOnFailure.MaxInterval = TimeSpan.FromMilliseconds(200);
        options.RetryOnFailure.MaxElapsedTime = TimeSpan.FromSeconds(10);
    }

    private static T Valid<T>(T options) where T : OtlpExporterOptions
    {
        var errors = options.Validate().ToList();
        Assert.True(errors.Count == 0, string.Join("; ", errors));
        return options;
    }

    private static ComponentCreateSettings Settings(string id, TimeProvider? time, ILoggerFactory? logs, CollectorTelemetry? telemetry = null) => new()
    {
        Id = ComponentId.Parse(id),
        Kind = ComponentKind.Exporter,
        LoggerFactory = logs ?? NullLoggerFactory.Instance,
        TimeProvider = time ?? TimeProvider.System,
        Telemetry = telemetry?.ForComponent(ComponentId.Parse(id), ComponentKind.Exporter) ?? ComponentTelemetry.Unobserved(ComponentId.Parse(id), ComponentKind.Exporter),
    };
}

/// <summary>A host that knows the extensions a test gives it.</summary>
public sealed class ExtensionHost(params IExtension[] extensions) : IComponentHost
{
    public void ReportFatalError(ComponentId component, Exception error) => Assert.Fail($"{component} reported a fatal error: {error}");

    public IExtension? GetExtension(ComponentId id) =>
        extensions.OfType<FileStorageExtension>().FirstOrDefault(e => e.Id == id);
}

/// <summary>Polls a condition, for what happens on the exporter's own threads.</summary>
public static class Eventually
{
    public static async Task HoldsAsync(Func<bool> condition, TimeSpan timeout, Func<string> describe)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"timed out after {timeout}: {describe()}");
            await Task.Delay(10);
        }
    }
}
