using System.Diagnostics;
using System.IO.Compression;
using Collector.Core.Model;
using Collector.Otlp;
using Collector.Otlp.Proto.Collector;
using Google.Protobuf;
using WireCommon = Collector.Otlp.Proto.Common;
using WireProfiles = Collector.Otlp.Proto.Profiles;
using WireResource = Collector.Otlp.Proto.Resource;

namespace Collector.Bench;

/// <summary>
/// Pre-encoded exports and a per-send marker carrying the send time: protobuf concatenation appends the marker's
/// resource (no samples) to the export, so every send is stamped without re-encoding the bulk. Each send is
/// gzipped whole (the receiver refuses concatenated gzip members, as it cannot check their lengths).
/// </summary>
internal sealed class Payloads
{
    public const string SentAttribute = "bench.sent_timestamp";

    private readonly byte[][] _encoded;

    public Payloads(int variants, int samplesPerRequest)
    {
        _encoded = new byte[variants][];
        for (var i = 0; i < variants; i++) _encoded[i] = ModelToOtlp.ToRequest(Batch(i, samplesPerRequest)).ToByteArray();
        SamplesPerRequest = samplesPerRequest;
        AverageCompressedBytes = _encoded.Average(e => Gzip(e).Length);
    }

    public int SamplesPerRequest { get; }

    public double AverageCompressedBytes { get; }

    /// <summary>A gzip-compressed message body: variant <paramref name="index"/>, stamped now.</summary>
    public byte[] Next(int index)
    {
        var marker = new ExportProfilesServiceRequest();
        var resource = new WireResource.Resource();
        resource.Attributes.Add(new WireCommon.KeyValue { Key = SentAttribute, Value = new WireCommon.AnyValue { IntValue = Stopwatch.GetTimestamp() } });
        marker.ResourceProfiles.Add(new WireProfiles.ResourceProfiles { Resource = resource });
        var bulk = _encoded[index % _encoded.Length];
        var stamp = marker.ToByteArray();
        var body = new byte[bulk.Length + stamp.Length];
        bulk.CopyTo(body, 0);
        stamp.CopyTo(body, bulk.Length);
        return Gzip(body);
    }

    /// <summary>Samples of 20 processes over a few hundred distinct stacks, like a sidecar's 5-second export.</summary>
    private static ProfileBatch Batch(int variant, int samples)
    {
        var random = new Random(variant);
        var batch = new ProfileBatch();
        var mapping = new Mapping(0x400000, 0x900000, 0, "/usr/bin/service");
        var functions = Enumerable.Range(0, 300).Select(i => new Function($"service::module{i % 17}::function_{i}", $"_ZN7service8function{i}Ev", $"src/module{i % 17}.cc")).ToArray();
        const int processes = 20;
        for (var p = 0; p < processes; p++)
        {
            var profile = new Profile
            {
                SampleType = Core.Model.ValueType.Samples,
                PeriodType = Core.Model.ValueType.CpuNanoseconds,
                Period = 52_631_578,
                TimeUnixNano = 1_790_000_000_000_000_000UL,
                DurationNano = 5_000_000_000UL,
            };
            for (var s = p; s < samples; s += processes)
            {
                var depth = 4 + random.Next(12);
                var frames = new Location[depth];
                for (var d = 0; d < depth; d++)
                {
                    var f = random.Next(functions.Length);
                    frames[d] = new Location(mapping, 0x400000 + (ulong)f * 64, [new Line(functions[f], 10 + f)]);
                }
                profile.Samples.Add(new Sample(new Stack([.. frames]))
                {
                    Attributes = [KeyValueAndUnit.Of("thread.id", 1000 + p)],
                    TimestampsUnixNano = [profile.TimeUnixNano + (ulong)random.NextInt64(5_000_000_000)],
                });
            }
            batch.ResourceProfiles.Add(new ResourceProfiles
            {
                Resource = new Resource { Attributes = [KeyValue.Of("process.pid", 1000 + p), KeyValue.Of("service.name", $"service-{p}")] },
                ScopeProfiles = [new ScopeProfiles { Scope = new InstrumentationScope { Name = "loadgen" }, Profiles = [profile] }],
            });
        }
        return batch;
    }

    private static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(bytes);
        return output.ToArray();
    }
}
