using Collector.Core.Components;
using Collector.Core.Model;
using Collector.Core.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Collector.Processors.Tests;

/// <summary>
/// Small hand-built batches for the tests of processors that work on profiles (resources, samples, function
/// names), and ways to read what they forwarded.
/// </summary>
public static class SampleBatches
{
    public static ProfileBatch Of(params ResourceProfiles[] resources) => new() { ResourceProfiles = [.. resources] };

    /// <summary>One resource with these attributes and one sample per stack, in one scope and one profile.</summary>
    public static ResourceProfiles Resource(IEnumerable<KeyValue> attributes, params Stack[] stacks) => new()
    {
        Resource = new Resource { Attributes = [.. attributes] },
        ScopeProfiles =
        [
            new ScopeProfiles
            {
                Scope = new InstrumentationScope { Name = "test" },
                Profiles = [new Profile { SampleType = Core.Model.ValueType.Samples, Samples = [.. stacks.Select(stack => new Sample(stack) { TimestampsUnixNano = [1] })] }],
            },
        ],
    };

    /// <summary>A process resource as pid_lifecycle makes it, with one sample per stack.</summary>
    public static ResourceProfiles Process(int pid, string name, string path, string containerId, params Stack[] stacks) => Resource(
        [
            KeyValue.Of(SemanticConventions.ProcessPid, pid),
            KeyValue.Of(SemanticConventions.ProcessExecutableName, name),
            KeyValue.Of(SemanticConventions.ProcessExecutablePath, path),
            KeyValue.Of(SemanticConventions.ContainerId, containerId),
        ],
        stacks);

    /// <summary>A stack of named frames, leaf first.</summary>
    public static Stack Stack(params string[] functionsLeafFirst) =>
        new([.. functionsLeafFirst.Select((name, i) => new Location(null, 0x1000 + (ulong)i, [new Line(new Function(name))]))]);

    public static IEnumerable<Sample> Samples(ProfileBatch batch) =>
        batch.ResourceProfiles.SelectMany(r => r.ScopeProfiles).SelectMany(s => s.Profiles).SelectMany(p => p.Samples);

    /// <summary>The leaf function of every sample forwarded, in order.</summary>
    public static List<string> Leaves(ProfileBatch batch) =>
        [.. Samples(batch).Select(sample => sample.Stack.Locations[0].Lines[^1].Function!.Name)];

    /// <summary>A resource's attributes as "key=value" text, in order, for exact comparisons.</summary>
    public static List<string> Attributes(ResourceProfiles resource) =>
        [.. (resource.Resource?.Attributes ?? []).Select(a => $"{a.Key}={a.Value}")];

    /// <summary>Settings for a processor under test; its metrics record nowhere unless a telemetry handle is given.</summary>
    public static ComponentCreateSettings Settings(string type, ILoggerFactory? logs = null, ComponentTelemetry? telemetry = null)
    {
        var id = ComponentId.Of(type);
        return new ComponentCreateSettings
        {
            Id = id,
            Kind = ComponentKind.Processor,
            LoggerFactory = logs ?? NullLoggerFactory.Instance,
            Telemetry = telemetry ?? ComponentTelemetry.Unobserved(id, ComponentKind.Processor),
        };
    }
}
