using System.Globalization;
using Collector.Core.Model;
using Collector.Host.Tests.Support;
using Collector.Otlp;
using ModelValueType = Collector.Core.Model.ValueType;

namespace Collector.Host.Tests.EndToEnd;

/// <summary>
/// The flame graph page stays responsive with 10,000 distinct stacks: a real browser (chromium, headless, driven by
/// puppeteer-core) has the first complete picture on screen within a second of navigation start. Timed, so it runs
/// alone (<see cref="TimedCollection"/>) and first waits for the machine to be quiet (<see cref="QuietMachine"/>).
/// The screenshot goes to artifacts/flamegraph-10k.png.
/// </summary>
[Collection(TimedCollection.Name)]
public sealed class FlamegraphPageResponsivenessTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Ten_thousand_distinct_stacks_are_drawn_within_a_second()
    {
        FlamegraphBrowser.Require();
        using var directory = new TempDirectory();
        var recording = directory.File("10k.jsonl");
        await File.WriteAllBytesAsync(recording, OtlpJson.SerializeLine(ModelToOtlp.ToRequest(DistinctStacks(10_000))));
        var port = FreePort.Next();
        var config = directory.Write("collector.yaml", $"""
            receivers:
              otlp_json_file:
                include: ["{recording}"]
            exporters:
              flamegraph:
                endpoint: 127.0.0.1:{port}
            service:
              pipelines:
                profiles:
                  receivers: [otlp_json_file]
                  exporters: [flamegraph]
            """);
        using var collector = CollectorProcess.Start(["--config", config], workingDirectory: directory.Path);
        await collector.WaitUntilAsync(() => collector.Stderr.Contains("Everything is ready", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "the pipeline to start");
        await Task.Delay(TimeSpan.FromSeconds(2));
        await QuietMachine.WaitAsync(output);

        var result = await FlamegraphBrowser.CheckAsync($"http://127.0.0.1:{port}/", Path.Combine(RepoPaths.Root, "artifacts", "flamegraph-10k.png"), null, output);

        var firstRender = result.GetProperty("firstRenderMs").GetDouble();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"first render with 10,000 distinct stacks: {firstRender:F0} ms after navigation start"));
        Assert.Contains("10000 distinct stacks", result.GetProperty("status").GetString(), StringComparison.Ordinal);
        Assert.True(firstRender < 1000, $"first render took {firstRender} ms");
    }

    /// <summary>One process, <paramref name="count"/> distinct stacks 6 to 20 frames deep over a few hundred functions.</summary>
    private static ProfileBatch DistinctStacks(int count)
    {
        var random = new Random(10_000);
        var mapping = new Mapping(0x400000, 0x900000, 0, "/usr/bin/bigapp");
        var locations = Enumerable.Range(0, 400).Select(i => new Location(mapping, 0x400000 + (ulong)i * 64,
            [new Line(new Function($"module{i % 23}::function_{i}"))], [KeyValueAndUnit.Of(SemanticConventions.FrameType, i % 5 == 0 ? "kernel" : "native")])).ToArray();
        var stacks = new HashSet<Stack>();
        while (stacks.Count < count)
        {
            var depth = random.Next(6, 21);
            stacks.Add(new Stack([.. Enumerable.Range(0, depth).Select(d => locations[d == depth - 1 ? 0 : random.Next(1, locations.Length)])]));
        }
        var now = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000;
        var profile = new Profile { SampleType = ModelValueType.Samples, PeriodType = ModelValueType.CpuNanoseconds, Period = 10_101_010, TimeUnixNano = now, DurationNano = 5_000_000_000 };
        foreach (var stack in stacks) profile.Samples.Add(new Sample(stack) { Values = [random.Next(1, 50)] });
        return new ProfileBatch
        {
            ResourceProfiles = [new ResourceProfiles
            {
                Resource = new Resource { Attributes = [KeyValue.Of(SemanticConventions.ProcessPid, 777), KeyValue.Of(SemanticConventions.ProcessExecutableName, "bigapp")] },
                ScopeProfiles = [new ScopeProfiles { Profiles = [profile] }],
            }],
        };
    }
}
