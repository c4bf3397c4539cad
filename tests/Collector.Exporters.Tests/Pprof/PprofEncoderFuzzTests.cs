using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using Collector.Core.Model;
using Collector.Exporters.Pprof;
using Collector.TestKit;
using ModelValueType = Collector.Core.Model.ValueType;

namespace Collector.Exporters.Tests.Pprof;

/// <summary>
/// Random input to the encoder (random stacks and attributes, huge depths, odd strings, empty profiles), every result
/// parsed by <c>go tool pprof</c>, which refuses a profile with a broken reference, a zero id or a wrong value count,
/// and whose total must equal the weight that went in.
/// </summary>
public class PprofEncoderFuzzTests(ITestOutputHelper output)
{
    private static readonly string[] OddNames = ["", "main", "a;b", "line\nbreak", "ünïcödé", "operator<<", "x y z", new string('n', 5000), "\"quoted\""];

    [Fact]
    public async Task Every_random_profile_is_valid_and_keeps_its_total()
    {
        if (!GoPprof.Available(output)) return;
        using var directory = new TempDirectory();
        var random = new Random(20260118);
        for (var round = 0; round < 30; round++)
        {
            var maxDepth = round switch { 0 => 0, 1 => 20_000, _ => random.Next(1, 60) };
            var samples = round == 0 ? 0 : random.Next(1, 300);
            var (builder, total) = RandomProfile(random, samples, maxDepth);
            var file = directory.File(string.Create(CultureInfo.InvariantCulture, $"fuzz-{round}.pb.gz"));
            await System.IO.File.WriteAllBytesAsync(file, PprofEncoder.EncodeGzip(builder));

            var top = await GoPprof.RunAsync("-top", "-sample_index=samples", "-nodecount=1", file);
            if (total > 0)
            {
                var match = Regex.Match(top, @"of (\d+) total");
                Assert.True(match.Success, top);
                Assert.Equal(total, long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture));
            }
            output.WriteLine($"round {round}: {samples} samples, depth ≤ {maxDepth}, total {total}, {new FileInfo(file).Length} bytes: valid");
        }
    }

    private static (PprofBuilder Builder, long Total) RandomProfile(Random random, int samples, int maxDepth)
    {
        var mappings = Enumerable.Range(0, 4).Select(i => new Mapping((ulong)i << 32, ((ulong)i << 32) + 0x100000, (ulong)random.Next(), OddNames[random.Next(OddNames.Length)],
            i % 2 == 0 ? [KeyValueAndUnit.Of(SemanticConventions.BuildIdGnu, Convert.ToHexStringLower(BitConverter.GetBytes(random.NextInt64())))] : default)).ToList();
        var functions = Enumerable.Range(0, 50).Select(_ => new Function(OddNames[random.Next(OddNames.Length)], OddNames[random.Next(OddNames.Length)],
            OddNames[random.Next(OddNames.Length)], random.Next(-5, 10_000))).ToList();
        var profile = new Profile { SampleType = ModelValueType.Samples, PeriodType = ModelValueType.CpuNanoseconds, Period = random.Next(1, 100_000_000), TimeUnixNano = (ulong)random.NextInt64() };
        long total = 0;
        for (var s = 0; s < samples; s++)
        {
            var depth = random.Next(0, maxDepth + 1);
            var locations = new Location[depth];
            for (var d = 0; d < depth; d++)
            {
                var lines = Enumerable.Range(0, random.Next(0, 3))
                    .Select(_ => new Line(random.Next(10) == 0 ? null : functions[random.Next(functions.Count)], random.Next(-1, 500), random.Next(0, 80)))
                    .ToImmutableArray();
                locations[d] = new Location(random.Next(5) == 0 ? null : mappings[random.Next(mappings.Count)], (ulong)random.NextInt64(), lines,
                    [KeyValueAndUnit.Of(SemanticConventions.FrameType, random.Next(2) == 0 ? "native" : "kernel")]);
            }
            var weight = random.Next(1, 1000);
            total += weight;
            profile.Samples.Add(new Sample(new Stack([.. locations]))
            {
                Values = [weight],
                Attributes = [KeyValueAndUnit.Of(SemanticConventions.ThreadId, random.Next(-3, 100_000)), KeyValueAndUnit.Of(SemanticConventions.ThreadName, OddNames[random.Next(OddNames.Length)]),
                    new KeyValueAndUnit("odd", random.Next(3) switch { 0 => AnyValue.Double(random.NextDouble()), 1 => AnyValue.Bool(true), _ => AnyValue.Empty })],
            });
        }
        var builder = new PprofBuilder(PprofSampleTypes.Of(profile));
        builder.Add(new Resource { Attributes = [KeyValue.Of(SemanticConventions.ProcessPid, random.Next()), KeyValue.Of(SemanticConventions.ContainerId, "c0ffee")] }, profile);
        return (builder, total);
    }
}
