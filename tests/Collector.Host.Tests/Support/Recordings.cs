using System.Collections.Immutable;
using System.Text;
using Collector.Core.Model;
using Collector.Otlp;
using Collector.Otlp.Proto.Collector;
using Google.Protobuf;

namespace Collector.Host.Tests.Support;

/// <summary>Builds OTLP JSON-lines recordings to replay, and reads exporter output back.</summary>
public static class Recordings
{
    /// <summary>A batch of <paramref name="samples"/> samples over a few processes and stacks; every sample has a distinct timestamp.</summary>
    public static ProfileBatch Batch(int index, int samples)
    {
        var main = new Function("main", "main", "app.c");
        var batch = new ProfileBatch();
        var mapping = new Mapping(0x400000, 0x500000, 0, "/usr/bin/app");
        for (var process = 0; process < 3; process++)
        {
            var profile = new Profile
            {
                SampleType = Core.Model.ValueType.Samples,
                PeriodType = Core.Model.ValueType.CpuNanoseconds,
                Period = 10_000_000,
                TimeUnixNano = 1_700_000_000_000_000_000UL + (ulong)index * 1_000_000_000UL,
                DurationNano = 1_000_000_000,
            };
            for (var i = process; i < samples; i += 3)
            {
                var leaf = new Function($"work_{i % 7}", $"_Z6work_{i % 7}v", "app.c");
                var stack = new Stack(
                [
                    new Location(mapping, 0x401000 + (ulong)(i % 7) * 16, [new Line(leaf, 10 + (i % 7))]),
                    new Location(mapping, 0x400100, [new Line(main, 3)]),
                ]);
                profile.Samples.Add(new Sample(stack) { TimestampsUnixNano = [profile.TimeUnixNano + (ulong)i] });
            }
            batch.ResourceProfiles.Add(new ResourceProfiles
            {
                Resource = new Resource { Attributes = [KeyValue.Of("process.pid", 1000 + process), KeyValue.Of("process.executable.name", "app")] },
                ScopeProfiles = [new ScopeProfiles { Scope = new InstrumentationScope { Name = "recording" }, Profiles = [profile] }],
            });
        }
        return batch;
    }

    /// <summary>Writes <paramref name="lines"/> exports of <paramref name="samplesPerLine"/> samples each; returns the path.</summary>
    public static string WriteJsonLines(string path, int lines, int samplesPerLine)
    {
        using var output = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16);
        for (var i = 0; i < lines; i++)
        {
            output.Write(OtlpJson.Serialize(ModelToOtlp.ToRequest(Batch(i, samplesPerLine))));
            output.WriteByte((byte)'\n');
        }
        return path;
    }

    /// <summary>Every export in a JSON-lines file; a torn last line (a crash mid-write) would throw.</summary>
    public static List<ExportProfilesServiceRequest> ReadJsonLines(string path) =>
        File.ReadAllLines(path, Encoding.UTF8).Where(l => l.Length > 0).Select(l => OtlpJson.Parse(Encoding.UTF8.GetBytes(l))).ToList();

    /// <summary>Lines in a file another process may still be writing (0 when it cannot be read yet).</summary>
    public static int SafeLineCount(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            var count = 0;
            int value;
            while ((value = stream.ReadByte()) >= 0) if (value == '\n') count++;
            return count;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>Every sample timestamp in the exports: a fingerprint of which samples arrived.</summary>
    public static List<ulong> Timestamps(IEnumerable<ExportProfilesServiceRequest> requests) =>
        requests.SelectMany(r => r.ResourceProfiles).SelectMany(r => r.ScopeProfiles).SelectMany(s => s.Profiles)
            .SelectMany(p => p.Samples).SelectMany(s => s.TimestampsUnixNano).ToList();

    public static int SampleCount(IEnumerable<ExportProfilesServiceRequest> requests) =>
        requests.SelectMany(r => r.ResourceProfiles).SelectMany(r => r.ScopeProfiles).SelectMany(s => s.Profiles).Sum(p => p.Samples.Count);

    public static ImmutableArray<byte> Bytes(IMessage message) => [.. message.ToByteArray()];
}
