using System.Collections.Immutable;
using Collector.Core.Model;
using ModelValueType = Collector.Core.Model.ValueType;

namespace Collector.TestKit;

/// <summary>Batches with known content, shared by the exporter, receiver and round-trip tests.</summary>
public static class TestBatches
{
    /// <summary>Raw kernel samples as exporters receive them: converted in front of them by the pipeline graph.</summary>
    public static ProfileBatch FromRaw(RawSampleSet raw) => new() { ResourceProfiles = RawSampleConversion.ToResourceProfiles(raw) };

    public const ulong Time = 1_795_000_000_000_000_000;

    public static readonly Mapping App = new(0x400000, 0x500000, 0, "/usr/bin/app",
        [KeyValueAndUnit.Of("process.executable.build_id.gnu", "abcdef0123456789")]);

    public static readonly Mapping Libc = new(0x7f0000000000, 0x7f0000200000, 0x1000, "/usr/lib/x86_64-linux-gnu/libc.so.6");

    public static readonly Function Main = new("main", "main", "main.c", 3);

    public static readonly Function Compute = new("compute", "_Z7computev", "compute.cc", 40);

    public static readonly Function Helper = new("helper", "helper", "helper.h", 7);

    public static Location Native(Mapping mapping, ulong address, params Line[] lines) =>
        new(mapping, address, [.. lines], [KeyValueAndUnit.Of("profile.frame.type", "native")]);

    public static Location Kernel(ulong address) =>
        new(null, address, [], [KeyValueAndUnit.Of("profile.frame.type", "kernel")]);

    public static readonly Location MainFrame = Native(App, 0x401000, new Line(Main, 12));

    /// <summary>helper inlined into compute: one location, two lines, innermost first.</summary>
    public static readonly Location ComputeFrame = Native(App, 0x402000, new Line(Helper, 8), new Line(Compute, 44));

    public static readonly Location LibcFrame = Native(Libc, 0x7f0000001234);

    public static readonly Location KernelFrame = Kernel(0xffffffff81000000);

    public static Stack StackOf(params Location[] leafFirst) => new([.. leafFirst]);

    /// <summary>
    /// Three resources (pids 100 and 200, and one without a pid), six samples, weights:
    /// helper 3+1, main 2, libc.so.6+0x7f0000001234 1, [kernel] 0xffffffff81000000 4, &lt;no frames&gt; 2 (total 13).
    /// </summary>
    public static ProfileBatch Known()
    {
        var first = CpuProfile(
            Timed(StackOf(ComputeFrame, MainFrame), 3, thread: 101),
            Timed(StackOf(MainFrame), 2, thread: 100),
            Timed(StackOf(LibcFrame, MainFrame), 1, thread: 101));
        var second = CpuProfile(
            Valued(StackOf(KernelFrame, LibcFrame, MainFrame), 4),
            Valued(StackOf(ComputeFrame, MainFrame), 1));
        var third = CpuProfile(Valued(Stack.Empty, 2));
        return new ProfileBatch
        {
            ResourceProfiles =
            [
                ResourceOf(first, KeyValue.Of("process.pid", 100), KeyValue.Of("process.executable.name", "app")),
                ResourceOf(second, KeyValue.Of("process.pid", 200)),
                ResourceOf(third, KeyValue.Of("service.name", "checkout")),
            ],
        };
    }

    /// <summary>One resource with <paramref name="samples"/> samples, each with its own stack through <paramref name="leaves"/> functions.</summary>
    public static ProfileBatch Simple(int samples, int pid = 42, int leaves = 3, string functionPrefix = "fn")
    {
        var list = new List<Sample>();
        for (var i = 0; i < samples; i++)
        {
            var leaf = Native(App, 0x410000 + (ulong)(i % leaves) * 16, new Line(new Function($"{functionPrefix}{i % leaves}", "", "lib.c", 1), i + 1));
            list.Add(Timed(StackOf(leaf, MainFrame), 1, thread: pid));
        }
        return new ProfileBatch { ResourceProfiles = [ResourceOf(CpuProfile([.. list]), KeyValue.Of("process.pid", pid))] };
    }

    /// <summary>A batch whose single function name is <paramref name="nameLength"/> characters long, to make big records.</summary>
    public static ProfileBatch Big(int nameLength, char fill = 'x')
    {
        var leaf = Native(App, 0x420000, new Line(new Function(new string(fill, nameLength)), 1));
        return new ProfileBatch { ResourceProfiles = [ResourceOf(CpuProfile(Timed(StackOf(leaf), 1, thread: 1)), KeyValue.Of("process.pid", 1))] };
    }

    /// <summary>Control data only: a process event and a watermark, no samples.</summary>
    public static ProfileBatch EventsOnly() => new()
    {
        ProcessEvents = [new ProcessEvent(ProcessEventKind.Exit, 7, 1, 1000, "sh")],
        WatermarkKtimeNanos = 2000,
    };

    public static Profile CpuProfile(params Sample[] samples) => new()
    {
        SampleType = ModelValueType.Samples,
        PeriodType = ModelValueType.CpuNanoseconds,
        Period = 10_000_000,
        TimeUnixNano = Time,
        DurationNano = 1_000_000_000,
        Samples = [.. samples],
    };

    public static Sample Timed(Stack stack, int count, int thread)
    {
        var sample = new Sample(stack) { Attributes = [KeyValueAndUnit.Of("thread.id", thread)] };
        for (var i = 0; i < count; i++) sample.TimestampsUnixNano.Add(Time + (ulong)i * 10_000_000);
        return sample;
    }

    public static Sample Valued(Stack stack, long value) => new(stack) { Values = [value] };

    public static ResourceProfiles ResourceOf(Profile profile, params KeyValue[] attributes) => new()
    {
        Resource = new Resource { Attributes = [.. attributes] },
        ScopeProfiles = [new ScopeProfiles { Scope = new InstrumentationScope { Name = "collector", Version = "0.1.0" }, Profiles = [profile] }],
    };

    /// <summary>Leaf-first function names of every sample's stack (innermost line of each location), for comparisons.</summary>
    public static IEnumerable<string> Stacks(ProfileBatch batch) =>
        from resource in batch.ResourceProfiles
        from scope in resource.ScopeProfiles
        from profile in scope.Profiles
        from sample in profile.Samples
        select string.Join(";", sample.Stack.Locations.Select(l =>
            l.Lines.Length > 0 && l.Lines[0].Function is { } f ? f.Name : $"0x{l.Address:x}"));

    public static ImmutableArray<byte> Bytes(params byte[] bytes) => [.. bytes];
}
