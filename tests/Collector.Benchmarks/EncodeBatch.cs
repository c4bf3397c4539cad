using System.Collections.Immutable;
using Collector.Core.Model;

namespace Collector.Benchmarks;

/// <summary>
/// A realistic export for the encode benchmarks: 10 processes of 1,000 samples each (10,000 in all), 1,000
/// distinct stacks of depth 30 sharing their outer frames, functions shared between processes, each process with
/// its own mappings of the same libraries, eight threads per process, one timestamp per sample. Seeded, so
/// every run measures the same data.
/// </summary>
internal static class EncodeBatch
{
    public const int Processes = 10;
    public const int SamplesPerProcess = 1_000;
    public const int StacksPerProcess = 100;
    public const int StackDepth = 30;
    public const int SampleCount = Processes * SamplesPerProcess;

    private static readonly string[] Libraries = ["libc.so.6", "libstdc++.so.6", "libssl.so.3", "libz.so.1"];

    public static ProfileBatch Build()
    {
        var random = new Random(20_260_301);
        var frameType = KeyValueAndUnit.Of("profile.frame.type", "native");
        // Functions are the same code in every process: one pool, shared.
        var functions = Enumerable.Range(0, 2_000)
            .Select(i => new Function($"ns{i % 37}::Type{i % 113}::Method{i}", $"_ZN2ns{i % 37}4Type{i % 113}6Method{i}Ev", $"src/module{i % 61}.cc", i % 500))
            .ToArray();
        var batch = new ProfileBatch();
        for (var process = 0; process < Processes; process++)
        {
            var pid = 1_000 + process;
            ulong start = 0x7f00_0000_0000UL + ((ulong)process << 32);
            var mappings = Libraries.Prepend($"service-{process}")
                .Select((file, i) => new Mapping(start + ((ulong)i << 24), start + ((ulong)(i + 1) << 24), 0, $"/usr/lib/{file}",
                    [KeyValueAndUnit.Of("process.executable.build_id.gnu", $"{process:x4}{i:x4}c8d2a34f1ba1a8f4b4dcd2f6f0b1")]))
                .ToArray();
            var locations = Enumerable.Range(0, 600)
                .Select(i =>
                {
                    var mapping = mappings[i % mappings.Length];
                    var lines = i % 7 == 0
                        ? ImmutableArray.Create(new Line(functions[random.Next(functions.Length)], random.Next(1, 2_000)), new Line(functions[random.Next(functions.Length)], random.Next(1, 2_000)))
                        : ImmutableArray.Create(new Line(functions[random.Next(functions.Length)], random.Next(1, 2_000)));
                    return new Location(mapping, mapping.MemoryStart + (ulong)(i * 64), lines, [frameType]);
                })
                .ToArray();
            // Outer frames (main, event loop, ...) are shared by every stack of a process; the leaves vary.
            var outer = locations.Take(10).ToArray();
            var stacks = Enumerable.Range(0, StacksPerProcess)
                .Select(_ => new Stack([.. Enumerable.Range(0, StackDepth - outer.Length).Select(_ => locations[10 + random.Next(locations.Length - 10)]), .. outer]))
                .ToArray();
            var threads = Enumerable.Range(0, 8)
                .Select(t => ImmutableArray.Create(KeyValueAndUnit.Of("thread.id", pid + t), KeyValueAndUnit.Of("thread.name", $"worker-{t}")))
                .ToArray();
            var profile = new Profile
            {
                SampleType = Collector.Core.Model.ValueType.Samples,
                PeriodType = Collector.Core.Model.ValueType.CpuNanoseconds,
                Period = 52_631_578,
                TimeUnixNano = 1_760_000_000_000_000_000,
                DurationNano = 10_000_000_000,
            };
            for (var i = 0; i < SamplesPerProcess; i++)
            {
                profile.Samples.Add(new Sample(stacks[random.Next(stacks.Length)])
                {
                    Attributes = threads[random.Next(threads.Length)],
                    TimestampsUnixNano = { profile.TimeUnixNano + (ulong)random.NextInt64(10_000_000_000) },
                });
            }
            batch.ResourceProfiles.Add(new ResourceProfiles
            {
                Resource = new Resource { Attributes = { KeyValue.Of("process.pid", pid), KeyValue.Of("process.executable.name", $"service-{process}") } },
                ScopeProfiles = { new ScopeProfiles { Scope = new InstrumentationScope { Name = "collector" }, Profiles = { profile } } },
            });
        }
        return batch;
    }
}
