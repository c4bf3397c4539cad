using Collector.Core.Model;

namespace Collector.Core.Tests.Model;

public class RawSampleConversionTests
{
    private const ulong Boot = 1_700_000_000_000_000_000;

    [Fact]
    public void One_resource_per_pid_with_a_cpu_profile()
    {
        ulong[] frames = [0x10, 0x20];
        var raw = Set(
            new RawSample(20, 21, 0, 500, "b", default, frames),
            new RawSample(10, 11, 1, 100, "a", default, frames),
            new RawSample(10, 12, 1, 300, "a2", default, frames));

        var result = RawSampleConversion.ToResourceProfiles(raw);

        Assert.Equal([10L, 20L], result.Select(r => r.Resource!.Attributes.Single().Value!.IntValue));
        Assert.All(result, r => Assert.Equal("process.pid", r.Resource!.Attributes[0].Key));
        var scope = Assert.Single(result[0].ScopeProfiles);
        Assert.Equal(RawSampleConversion.ScopeName, scope.Scope!.Name);
        var profile = Assert.Single(scope.Profiles);
        Assert.Equal(Collector.Core.Model.ValueType.Samples, profile.SampleType);
        Assert.Equal(Collector.Core.Model.ValueType.CpuNanoseconds, profile.PeriodType);
        Assert.Equal(10_000_000, profile.Period);
        Assert.Equal(Boot + 100, profile.TimeUnixNano);
        // Half-open interval: the latest sample (Boot + 300) must lie inside [time, time + duration).
        Assert.Equal(201UL, profile.DurationNano);
        Assert.Equal(2, profile.Samples.Count);
    }

    [Fact]
    public void Identical_stacks_and_threads_merge_by_appending_timestamps()
    {
        ulong[] buffer = [0xffff_1, 0x1, 0x2, 0xffff_1, 0x1, 0x2, 0x1, 0x2];
        var raw = Set(
            new RawSample(1, 2, 0, 30, "worker", buffer.AsMemory(0, 1), buffer.AsMemory(1, 2)),
            new RawSample(1, 3, 0, 20, "worker", buffer.AsMemory(3, 1), buffer.AsMemory(4, 2)),
            new RawSample(1, 2, 1, 10, "worker", buffer.AsMemory(3, 1), buffer.AsMemory(4, 2)),
            // Same addresses, but all user frames: a different stack.
            new RawSample(1, 2, 1, 40, "worker", default, buffer.AsMemory(5, 3)));

        var samples = RawSampleConversion.ToResourceProfiles(raw)[0].ScopeProfiles[0].Profiles[0].Samples;

        Assert.Equal(3, samples.Count);
        Assert.Equal([Boot + 30, Boot + 10], samples[0].TimestampsUnixNano);
        Assert.Equal([Boot + 20], samples[1].TimestampsUnixNano);
        Assert.Same(samples[0].Stack, samples[1].Stack);
        Assert.NotEqual(samples[0].Stack, samples[2].Stack);
        Assert.All(samples, s => Assert.Empty(s.Values));
        Assert.Equal([KeyValueAndUnit.Of("thread.id", 2), KeyValueAndUnit.Of("thread.name", "worker")], samples[0].Attributes.ToArray());
        Assert.Equal(3, samples[1].Attributes[0].Value!.IntValue);
    }

    [Fact]
    public void Kernel_frames_come_first_and_are_typed()
    {
        ulong[] kernel = [0xffff_ffff_8100_0001, 0xffff_ffff_8100_0002];
        ulong[] user = [0x7f00_0000_1000, 0x5555_0000_2000];
        var raw = Set(new RawSample(1, 1, 0, 1, "c", kernel, user), new RawSample(2, 2, 0, 1, "d", default, user));

        var result = RawSampleConversion.ToResourceProfiles(raw);

        var locations = result[0].ScopeProfiles[0].Profiles[0].Samples[0].Stack.Locations;
        Assert.Equal([.. kernel, .. user], locations.Select(l => l.Address));
        Assert.Equal(["kernel", "kernel", "native", "native"], locations.Select(l => l.Attributes.Single(a => a.Key == "profile.frame.type").Value!.StringValue));
        Assert.All(locations, l => Assert.Null(l.Mapping));
        Assert.All(locations, l => Assert.Empty(l.Lines));
        // The same user frame is one location, even in another process.
        Assert.Same(locations[2], result[1].ScopeProfiles[0].Profiles[0].Samples[0].Stack.Locations[0]);
    }

    [Fact]
    public void A_sample_without_frames_gets_the_empty_stack()
    {
        var sample = RawSampleConversion.ToResourceProfiles(Set(new RawSample(1, 1, 0, 1, "idle", default, default)))[0].ScopeProfiles[0].Profiles[0].Samples[0];

        Assert.Same(Stack.Empty, sample.Stack);
    }

    [Fact]
    public void No_samples_no_resources() => Assert.Empty(RawSampleConversion.ToResourceProfiles(Set()));

    [Fact]
    public void Python_frames_replace_the_eval_loop_frames_and_a_mismatch_keeps_the_native_ones()
    {
        ulong[] user = [0x9100, 0x5100, 0x1100];
        CPythonFrame[] python = [new(0xa0, 10, IsEntry: false), new(0xb0, 20, IsEntry: true)];
        var evalLoop = new CodeRange(0x5000, 0x6000);
        var raw = Set(
            new RawSample(1, 2, 0, 10, "py", default, user) { CPythonFrames = python, CPythonEvalLoop = evalLoop },
            new RawSample(1, 3, 0, 20, "py", default, user) { CPythonFrames = python[..1], CPythonEvalLoop = evalLoop });

        var samples = RawSampleConversion.ToResourceProfiles(raw)[0].ScopeProfiles[0].Profiles[0].Samples;

        var placed = samples.Single(s => s.Attributes.Contains(KeyValueAndUnit.Of("thread.id", 2))).Stack.Locations;
        Assert.Equal([0x9100UL, 0xa0, 0xb0, 0x1100], placed.Select(l => l.Address));
        Assert.Equal(["native", "cpython", "cpython", "native"], placed.Select(l => l.Attributes[0].Value!.StringValue));
        Assert.Contains(KeyValueAndUnit.Of(SemanticConventions.CpythonInstructionOffset, 20), placed[2].Attributes);
        // The chain without an entry frame does not fit: the native frames stay as they were.
        var native = samples.Single(s => s.Attributes.Contains(KeyValueAndUnit.Of("thread.id", 3))).Stack.Locations;
        Assert.Equal(user, native.Select(l => l.Address));
    }

    private static RawSampleSet Set(params RawSample[] samples) => new() { BootTimeUnixNano = Boot, PeriodNanos = 10_000_000, Samples = [.. samples] };
}
