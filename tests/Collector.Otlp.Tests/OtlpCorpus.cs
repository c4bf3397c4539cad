using System.Collections.Immutable;
using Collector.Core.Model;
using Collector.Otlp;
using Collector.Otlp.Proto.Collector;

namespace Collector.Otlp.Tests;

/// <summary>
/// A canonical export that sets every field of every message reachable from <c>ExportProfilesServiceRequest</c>
/// to a non-default value somewhere (checked by <see cref="CorpusCoverageTests"/>, not just claimed here).
/// Built as a model batch so the request is exactly what <see cref="ModelToOtlp"/> produces.
/// </summary>
internal static class OtlpCorpus
{
    public const ulong TimeUnixNano = 1_760_000_000_000_000_000;
    public const string ServiceName = "checkout";
    public const string LeafFunction = "memcpy_avx_unaligned";

    public static readonly ImmutableArray<byte> ProfileId = [.. Enumerable.Range(1, 16).Select(i => (byte)i)];
    public static readonly ImmutableArray<byte> TraceId = [0x4b, 0xf9, 0x2f, 0x35, 0x77, 0xb3, 0x4d, 0xa6, 0xa3, 0xce, 0x92, 0x9d, 0x0e, 0x0e, 0x47, 0x36];
    public static readonly ImmutableArray<byte> SpanId = [0x00, 0xf0, 0x67, 0xaa, 0x0b, 0xa9, 0x02, 0xb7];

    public static ExportProfilesServiceRequest Request() => ModelToOtlp.ToRequest(Batch());

    public static ProfileBatch Batch()
    {
        var libc = new Mapping(0x7f00_0000_0000, 0x7f00_001f_0000, 0x28000, "/usr/lib/x86_64-linux-gnu/libc.so.6",
            [KeyValueAndUnit.Of("process.executable.build_id.gnu", "c8d2a34f1ba1a8f4b4dcd2f6f0b1c2d3e4f5a6b7")]);
        var app = new Mapping(0x5555_0000_0000, 0x5555_0001_0000, 0, "/usr/bin/checkout",
            [KeyValueAndUnit.Of("process.executable.build_id.htlhash", "600DCAFE4A110000F2BF38C493F5FB92"), new("mapping.size", AnyValue.Int(65536), "By")]);
        var native = KeyValueAndUnit.Of("profile.frame.type", "native");
        var kernel = KeyValueAndUnit.Of("profile.frame.type", "kernel");

        var memcpy = new Function(LeafFunction, "__memcpy_avx_unaligned_erms", "memmove-vec-unaligned-erms.S", 245);
        var inlinedHelper = new Function("checkout::cart::total", "_ZN8checkout4cart5totalEv", "src/cart.rs", 40);
        var handler = new Function("checkout::handle", "_ZN8checkout6handleEv", "src/main.rs", 12);
        var schedule = new Function("schedule", "schedule", "", 0);

        var leaf = new Location(libc, 0x7f00_0001_2345, [new Line(memcpy, 250, 3)], [native]);
        // Inlined frames: the last line is the caller the others were inlined into.
        var inlined = new Location(app, 0x5555_0000_1000, [new Line(inlinedHelper, 44, 9), new Line(handler, 17, 5)], [native]);
        var kernelFrame = new Location(null, 0xffff_ffff_8100_0000, [new Line(schedule)], [kernel]);
        var unsymbolized = new Location(app, 0x5555_0000_2000, [], [native]);

        var userStack = new Stack([leaf, inlined]);
        var mixedStack = new Stack([kernelFrame, inlined, unsymbolized]);
        var link = new Link(TraceId, SpanId);

        var thread = ImmutableArray.Create(KeyValueAndUnit.Of("thread.id", 4243), KeyValueAndUnit.Of("thread.name", "worker-1"));
        var profile = new Profile
        {
            SampleType = Collector.Core.Model.ValueType.Samples,
            PeriodType = Collector.Core.Model.ValueType.CpuNanoseconds,
            Period = 10_000_000,
            TimeUnixNano = TimeUnixNano,
            DurationNano = 5_000_000_000,
            ProfileId = ProfileId,
            DroppedAttributesCount = 3,
            OriginalPayloadFormat = "linux_perf",
            OriginalPayload = [0x50, 0x45, 0x52, 0x46, 0x00, 0xff],
            Attributes = [KeyValueAndUnit.Of("profile.comment", "corpus"), new("cpu.utilization", AnyValue.Double(0.5), "1")],
            Samples =
            {
                new Sample(userStack) { Attributes = thread, Link = link, Values = { 2, 1 }, TimestampsUnixNano = { TimeUnixNano + 10, TimeUnixNano + 20 } },
                new Sample(mixedStack) { Attributes = [.. thread, KeyValueAndUnit.Of("cpu.logical_number", 3)], TimestampsUnixNano = { TimeUnixNano + 30 } },
                new Sample(Stack.Empty) { Values = { 7 } },
            },
        };

        var valueKinds = AnyValue.Array(
        [
            AnyValue.String("plain"),
            AnyValue.String("by reference", byReference: true),
            AnyValue.Bool(true),
            AnyValue.Int(-42),
            AnyValue.Double(double.NaN),
            AnyValue.Double(-0.0),
            AnyValue.Bytes([0xde, 0xad, 0xbe, 0xef]),
            AnyValue.Empty,
            AnyValue.Array([AnyValue.Array([AnyValue.Int(1)]), AnyValue.KeyValueList([KeyValue.Of("deep", "yes")])]),
            AnyValue.KeyValueList([new KeyValue("referenced.key", AnyValue.String("v", byReference: true), KeyByReference: true), new KeyValue("no.value", null)]),
        ]);

        var resource = new ResourceProfiles
        {
            SchemaUrl = "https://opentelemetry.io/schemas/1.30.0",
            Resource = new Resource
            {
                Attributes =
                {
                    KeyValue.Of("service.name", ServiceName),
                    KeyValue.Of("process.pid", 4242),
                    new KeyValue("host.arch", AnyValue.String("amd64", byReference: true), KeyByReference: true),
                    new KeyValue("debug", AnyValue.Bool(true)),
                    new KeyValue("sampling.ratio", AnyValue.Double(0.25)),
                    new KeyValue("all.kinds", valueKinds),
                    new KeyValue("unset", null),
                },
                DroppedAttributesCount = 2,
                EntityRefs = { new EntityRef("https://opentelemetry.io/schemas/1.30.0", "process", ["process.pid"], ["process.executable.name", "process.command_line"]) },
            },
            ScopeProfiles =
            {
                new ScopeProfiles
                {
                    SchemaUrl = "https://opentelemetry.io/schemas/1.29.0",
                    Scope = new InstrumentationScope
                    {
                        Name = "collector",
                        Version = "0.1.0",
                        Attributes = { KeyValue.Of("scope.kind", "ebpf"), new KeyValue("pprof.scope.default_sample_type", AnyValue.String("samples", byReference: true), KeyByReference: true) },
                        DroppedAttributesCount = 1,
                    },
                    Profiles = { profile },
                },
            },
        };

        // Absent resource, scope and value types: the codec must keep them absent rather than make them empty.
        var bare = new ResourceProfiles
        {
            ScopeProfiles =
            {
                new ScopeProfiles
                {
                    Profiles = { new Profile { Samples = { new Sample(userStack) { Values = { 1 } } } } },
                },
            },
        };

        return new ProfileBatch { ResourceProfiles = { resource, bare } };
    }
}
