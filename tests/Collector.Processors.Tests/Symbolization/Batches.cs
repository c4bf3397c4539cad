using System.Collections.Immutable;
using Collector.Core.Model;

namespace Collector.Processors.Tests.Symbolization;

/// <summary>Batches shaped like pid_lifecycle's output, and ways to read the processor's.</summary>
public static class Batches
{
    public static readonly KeyValueAndUnit KernelType = KeyValueAndUnit.Of(SemanticConventions.FrameType, SemanticConventions.FrameTypeKernel);
    public static readonly KeyValueAndUnit DotnetType = KeyValueAndUnit.Of(SemanticConventions.FrameType, SemanticConventions.FrameTypeDotnet);

    public static ResourceProfiles Process(int pid, params Stack[] stacks) => new()
    {
        Resource = new Resource { Attributes = [KeyValue.Of(SemanticConventions.ProcessPid, pid)] },
        ScopeProfiles =
        [
            new ScopeProfiles
            {
                Scope = new InstrumentationScope { Name = "collector" },
                Profiles = [new Profile { SampleType = Core.Model.ValueType.Samples, Samples = [.. stacks.Select(stack => new Sample(stack) { TimestampsUnixNano = [1] })] }],
            },
        ],
    };

    public static ProfileBatch Of(params ResourceProfiles[] processes) => new() { ResourceProfiles = [.. processes] };

    public static Stack Stack(params Location[] leafFirst) => new([.. leafFirst]);

    public static Location KernelFrame(ulong address) => new(null, address, attributes: [KernelType]);

    public static Location JitFrame(ulong address) =>
        new(new Mapping(0x7f00_0000_0000, 0x7f00_1000_0000, 0, "memfd:doublemapper (deleted)"), address, attributes: [DotnetType]);

    public static IEnumerable<Sample> Samples(ProfileBatch batch) =>
        batch.ResourceProfiles.SelectMany(r => r.ScopeProfiles).SelectMany(s => s.Profiles).SelectMany(p => p.Samples);

    /// <summary>The name of the location's (single) function, or null when it has none.</summary>
    public static string? Name(Location location) => location.Lines.IsEmpty ? null : location.Lines[^1].Function?.Name;

    public static string? BuildId(Mapping? mapping) =>
        mapping?.Attributes.FirstOrDefault(a => a.Key == SemanticConventions.BuildIdGnu)?.Value?.StringValue;
}
