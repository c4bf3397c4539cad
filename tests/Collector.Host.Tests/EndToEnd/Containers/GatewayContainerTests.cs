using System.Globalization;
using Collector.Host.Tests.Support;

namespace Collector.Host.Tests.EndToEnd.Containers;

/// <summary>
/// Sidecar to gateway, in real containers: the sidecar exports over otlp_grpc to a gateway container (OTLP receiver,
/// memory_limiter, file) and keeps a file of what it exported; after SIGTERM to the sidecar (which drains its queue)
/// and then to the gateway, the gateway holds every sample the sidecar exported.
/// </summary>
[Collection(LiveProfilingCollection.Name)]
public sealed class GatewayContainerTests(ITestOutputHelper output)
{
    private const string GatewayConfig = """
        receivers:
          otlp:
            protocols:
              grpc:
                endpoint: 0.0.0.0:4317
        processors:
          memory_limiter:
            check_interval: 1s
            limit_mib: 400
            spike_limit_mib: 80
        exporters:
          file:
            path: /out/profiles.jsonl
            format: json
        service:
          pipelines:
            profiles:
              receivers: [otlp]
              processors: [memory_limiter]
              exporters: [file]
          telemetry:
            metrics:
              level: none
        """;

    [Fact]
    public async Task Every_sample_the_sidecar_exports_arrives_at_the_gateway()
    {
        // One network namespace in the pod: the gateway listens on localhost:4317 for the sidecar.
        await using var pod = await WorkloadPod.StartAsync(output);
        var gateway = await pod.StartCollectorAsync("gateway", GatewayConfig, []);
        await gateway.WaitForLogAsync("Everything is ready", TimeSpan.FromSeconds(60));

        var sidecarExporters = CollectorContainer.FileExporter + """

              otlp_grpc:
                endpoint: localhost:4317
                tls:
                  insecure: true
            """;
        var sidecar = await pod.StartCollectorAsync("sidecar", CollectorContainer.AgentConfig(sidecarExporters, "file, otlp_grpc"), Podman.AgentCapabilities);
        await sidecar.WaitUntilAsync(() => ContainerWorkload.ReadSamples(sidecar.ProfilesFile).Count(ContainerWorkload.IsHot) >= 20,
            TimeSpan.FromSeconds(60), "20 samples naming the hot function");
        Assert.Equal(0, await sidecar.StopAsync());
        Assert.Equal(0, await gateway.StopAsync());
        output.WriteLine(await gateway.LogsAsync());

        var sent = ContainerWorkload.ReadSamples(sidecar.ProfilesFile);
        var received = ContainerWorkload.ReadSamples(gateway.ProfilesFile);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"sidecar exported {sent.Count} samples (weight {sent.Sum(s => s.Weight)}, {sent.Count(ContainerWorkload.IsHot)} in the hot function); "
            + $"gateway received {received.Count} (weight {received.Sum(s => s.Weight)}, {received.Count(ContainerWorkload.IsHot)} in the hot function)"));
        Assert.True(sent.Count >= 20);
        Assert.Equal(sent.Count, received.Count);
        Assert.Equal(sent.Sum(s => s.Weight), received.Sum(s => s.Weight));
        Assert.Equal(sent.Count(ContainerWorkload.IsHot), received.Count(ContainerWorkload.IsHot));
    }
}
