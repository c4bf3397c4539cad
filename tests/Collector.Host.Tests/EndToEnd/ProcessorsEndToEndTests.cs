using System.Net;
using System.Runtime.InteropServices;
using Collector.Core.Model;
using Collector.Host.Tests.Support;
using Collector.Otlp;

namespace Collector.Host.Tests.EndToEnd;

/// <summary>
/// resource, filter and resourcedetection run by the real collector on the bundled recording
/// (<c>otlp_json_file</c> → processor → <c>file</c>). The expected attributes and samples are worked out here
/// from the recording itself, not by the processors' code.
/// </summary>
public sealed class ProcessorsEndToEndTests : IDisposable
{
    private static readonly string Recording = Path.Combine(RepoPaths.Root, SampleRecording.RelativePath);
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task Resource_sets_exactly_the_configured_attributes_and_leaves_the_samples_alone()
    {
        var (output, _) = await Run("""
            resource:
                attributes:
                  - {key: deployment.environment.name, value: staging, action: insert}
                  - {key: service.name, from_attribute: process.executable.name, action: upsert}
                  - {key: process.executable.path, value: /redacted, action: update}
                  - {key: process.pid, value: "0", action: insert}
                  - {key: container.id, action: delete}
                  - {key: k8s.pod.name, value: never, action: update}
            """, expectedExports: 12);

        var input = Read(Recording);
        Assert.Equal(Timestamps(input), Timestamps(output));
        var expected = input.SelectMany(b => b.ResourceProfiles).Select(r => Text(r.Resource!.Attributes
            .Where(a => a.Key != "container.id")
            .Select(a => a.Key == "process.executable.path" ? KeyValue.Of(a.Key, "/redacted") : a)
            .Append(KeyValue.Of("deployment.environment.name", "staging"))
            .Append(KeyValue.Of("service.name", Value(r, "process.executable.name")!))));
        Assert.Equal(expected, output.SelectMany(b => b.ResourceProfiles).Select(r => Text(r.Resource!.Attributes)));
        Assert.Equal(["4242", "1187", "873"], output[0].ResourceProfiles.Select(r => Value(r, "process.pid")));
    }

    [Fact]
    public async Task Filter_drops_exactly_the_samples_the_config_says_and_counts_them()
    {
        var (output, stderr) = await Run("""
            filter:
                include: {process_names: ["^Shop\\.Api$", "^postgres$"]}
                exclude: {function_names: ["^WKS::gc_heap::"]}
            """, expectedExports: 12);

        var input = Read(Recording);
        var kept = new List<ulong>();
        var total = 0;
        foreach (var resource in input.SelectMany(b => b.ResourceProfiles))
        {
            var name = Value(resource, "process.executable.name");
            foreach (var sample in Samples(resource))
            {
                total++;
                var underGc = sample.Stack.Locations.Any(l => l.Lines.Any(line => line.Function!.Name.StartsWith("WKS::gc_heap::", StringComparison.Ordinal)));
                if (name is "Shop.Api" or "postgres" && !underGc) kept.AddRange(sample.TimestampsUnixNano);
            }
        }
        var keptSamples = output.SelectMany(b => b.ResourceProfiles).Sum(r => Samples(r).Count());
        var dropped = total - keptSamples;

        Assert.Equal(kept, Timestamps(output));
        Assert.Equal(["Shop.Api", "postgres"], output.SelectMany(b => b.ResourceProfiles).Select(r => Value(r, "process.executable.name")).Distinct());
        Assert.True(dropped > 0 && keptSamples > 0, $"the recording should have samples of both kinds: kept {keptSamples} of {total}");
        Assert.Contains($"Stopped: dropped {dropped} of {total} samples, kept {keptSamples}", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resourcedetection_adds_the_environment_and_the_host_to_every_resource()
    {
        var (output, _) = await Run("""
            resourcedetection:
                detectors: [env, system]
            """, expectedExports: 12, new Dictionary<string, string>
        {
            ["OTEL_RESOURCE_ATTRIBUTES"] = "deployment.environment.name=prod, process.executable.name=renamed%20by%20env",
        });

        var input = Read(Recording);
        Assert.Equal(Timestamps(input), Timestamps(output));
        var arch = RuntimeInformation.OSArchitecture == Architecture.X64 ? "amd64" : RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant();
        var expected = input.SelectMany(b => b.ResourceProfiles).Select(r => Text(r.Resource!.Attributes
            .Select(a => a.Key == "process.executable.name" ? KeyValue.Of(a.Key, "renamed by env") : a)
            .Append(KeyValue.Of("deployment.environment.name", "prod"))
            .Append(KeyValue.Of("host.name", Dns.GetHostName()))
            .Append(KeyValue.Of("os.type", "linux"))
            .Append(KeyValue.Of("host.arch", arch))));
        Assert.Equal(expected, output.SelectMany(b => b.ResourceProfiles).Select(r => Text(r.Resource!.Attributes)));
    }

    public void Dispose() => _dir.Dispose();

    /// <summary>Replays the recording through one processor into a file; returns the exports and the collector's log.</summary>
    private async Task<(List<ProfileBatch> Output, string Stderr)> Run(string processor, int expectedExports, Dictionary<string, string>? environment = null)
    {
        var output = _dir.File("out.jsonl");
        var processorId = processor[..processor.IndexOf(':', StringComparison.Ordinal)];
        var config = _dir.Write("config.yaml", $"""
            receivers:
              otlp_json_file:
                include: ["{Recording}"]
            processors:
              {processor.Replace("\n", "\n  ", StringComparison.Ordinal)}
            exporters:
              file:
                path: "{output}"
            service:
              pipelines:
                profiles:
                  receivers: [otlp_json_file]
                  processors: [{processorId}]
                  exporters: [file]
            """);
        using var collector = CollectorProcess.Start(["--config", config], environment, workingDirectory: _dir.Path);
        await collector.WaitUntilAsync(() => Recordings.SafeLineCount(output) >= expectedExports, TimeSpan.FromSeconds(60), $"{expectedExports} exports");
        collector.Signal("TERM");
        Assert.Equal(0, await collector.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        var exports = Recordings.ReadJsonLines(output);
        Assert.Equal(expectedExports, exports.Count);
        Assert.All(exports, e => Assert.Empty(ExportValidator.Validate(e)));
        return (exports.ConvertAll(OtlpToModel.ToBatch), collector.Stderr);
    }

    private static List<ProfileBatch> Read(string path) => Recordings.ReadJsonLines(path).ConvertAll(OtlpToModel.ToBatch);

    private static IEnumerable<Sample> Samples(ResourceProfiles resource) => resource.ScopeProfiles.SelectMany(s => s.Profiles).SelectMany(p => p.Samples);

    private static List<ulong> Timestamps(List<ProfileBatch> batches) =>
        [.. batches.SelectMany(b => b.ResourceProfiles).SelectMany(Samples).SelectMany(s => s.TimestampsUnixNano)];

    private static string? Value(ResourceProfiles resource, string key) => resource.Resource!.Attributes.SingleOrDefault(a => a.Key == key)?.Value?.ToString();

    private static string Text(IEnumerable<KeyValue> attributes) => string.Join(", ", attributes.Select(a => $"{a.Key}={a.Value}"));
}
