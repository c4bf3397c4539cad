using System.Runtime.InteropServices;
using Collector.Core.Model;
using Collector.Processors.ResourceDetection;
using Microsoft.Extensions.Logging;
using static Collector.Processors.Tests.SampleBatches;

namespace Collector.Processors.Tests.ResourceDetection;

public class ResourceDetectionProcessorTests
{
    private static readonly KeyValue[] Api = [KeyValue.Of(SemanticConventions.ProcessPid, 42), KeyValue.Of("host.name", "from-sender")];

    private static DetectionSources Machine(string? otelResourceAttributes, Architecture architecture = Architecture.X64) => new(
        name => name == "OTEL_RESOURCE_ATTRIBUTES" ? otelResourceAttributes : null,
        () => "node-7",
        architecture,
        "linux");

    [Fact]
    public async Task Env_and_system_are_added_to_every_resource_with_override_replacing_values_in_place()
    {
        var output = await Run(new ResourceDetectionOptions { Detectors = ["env", "system"] }, Machine("deployment.environment.name=prod"));

        Assert.Equal(["process.pid=42", "host.name=node-7", "deployment.environment.name=prod", "os.type=linux", "host.arch=amd64"], Attributes(output.ResourceProfiles[0]));
        Assert.Equal(["process.pid=7", "deployment.environment.name=prod", "host.name=node-7", "os.type=linux", "host.arch=amd64"], Attributes(output.ResourceProfiles[1]));
    }

    [Fact]
    public async Task Without_override_a_resource_keeps_its_own_values()
    {
        var output = await Run(new ResourceDetectionOptions { Detectors = ["system"], Override = false }, Machine(null));

        Assert.Equal(["process.pid=42", "host.name=from-sender", "os.type=linux", "host.arch=amd64"], Attributes(output.ResourceProfiles[0]));
    }

    [Fact]
    public async Task The_first_detector_to_find_a_key_wins()
    {
        var envFirst = await Run(new ResourceDetectionOptions { Detectors = ["env", "system"] }, Machine("host.name=from-env"));
        var systemFirst = await Run(new ResourceDetectionOptions { Detectors = ["system", "env"] }, Machine("host.name=from-env"));

        Assert.Contains("host.name=from-env", Attributes(envFirst.ResourceProfiles[1]));
        Assert.Contains("host.name=node-7", Attributes(systemFirst.ResourceProfiles[1]));
    }

    [Fact]
    public async Task Detection_runs_once_at_start()
    {
        var reads = 0;
        var sources = new DetectionSources(_ => { reads++; return "a=1"; }, () => "node-7", Architecture.X64, "linux");
        var next = new CapturingConsumer();
        var processor = new ResourceDetectionProcessor(Settings("resourcedetection"), new ResourceDetectionOptions(), next, sources);

        await processor.StartAsync(null!, default);
        await processor.ConsumeAsync(Of(Resource(Api, Stack("work"))), default);
        await processor.ConsumeAsync(Of(Resource(Api, Stack("work"))), default);

        Assert.Equal(1, reads);
        Assert.All(next.Batches, batch => Assert.Contains("a=1", Attributes(batch.ResourceProfiles[0])));
    }

    [Fact]
    public async Task A_malformed_variable_is_logged_and_adds_nothing()
    {
        using var logs = new CapturingLoggerFactory();
        var next = new CapturingConsumer();
        var processor = new ResourceDetectionProcessor(Settings("resourcedetection", logs), new ResourceDetectionOptions(), next, Machine("a=1,broken"));

        await processor.StartAsync(null!, default);
        await processor.ConsumeAsync(Of(Resource(Api, Stack("work"))), default);

        Assert.Equal(["process.pid=42", "host.name=from-sender"], Attributes(Assert.Single(next.Batches).ResourceProfiles[0]));
        Assert.Contains("OTEL_RESOURCE_ATTRIBUTES ignored: entry 1 \"broken\" is not key=value", logs.At(LogLevel.Warning));
    }

    [Theory]
    [InlineData(Architecture.X64, "amd64")]
    [InlineData(Architecture.Arm64, "arm64")]
    [InlineData(Architecture.Arm, "arm32")]
    [InlineData(Architecture.X86, "x86")]
    [InlineData(Architecture.S390x, "s390x")]
    [InlineData(Architecture.Ppc64le, "ppc64")]
    [InlineData(Architecture.LoongArch64, null)]
    public void Host_arch_uses_the_semantic_conventions_names(Architecture architecture, string? expected)
    {
        Assert.Equal(expected, SystemDetector.HostArch(architecture));
    }

    [Fact]
    public void The_machine_itself_is_detected()
    {
        var attributes = SystemDetector.Detect(DetectionSources.Machine).ToDictionary(a => a.Key, a => a.Value!.StringValue);

        Assert.Equal(System.Net.Dns.GetHostName(), attributes["host.name"]);
        Assert.Equal("linux", attributes["os.type"]);
        Assert.Equal(SystemDetector.HostArch(RuntimeInformation.OSArchitecture), attributes["host.arch"]);
    }

    private static async Task<ProfileBatch> Run(ResourceDetectionOptions options, DetectionSources sources)
    {
        Assert.Empty(options.Validate());
        var next = new CapturingConsumer();
        var processor = new ResourceDetectionProcessor(Settings("resourcedetection"), options, next, sources);
        await processor.StartAsync(null!, default);
        var input = Of(Resource(Api, Stack("work")), Resource([KeyValue.Of(SemanticConventions.ProcessPid, 7)], Stack("query")));
        input.WatermarkKtimeNanos = 9;
        await processor.ConsumeAsync(input, default);
        var output = Assert.Single(next.Batches);
        Assert.Equal(9UL, output.WatermarkKtimeNanos);
        return output;
    }
}
