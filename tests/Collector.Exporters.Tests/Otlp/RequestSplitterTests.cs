using Collector.Core.Model;
using Collector.Exporters.Otlp;
using Collector.Exporters.Sending;
using Collector.Otlp;
using Collector.Otlp.Proto.Collector;
using Google.Protobuf;

namespace Collector.Exporters.Tests.Otlp;

public class RequestSplitterTests
{
    [Fact]
    public void A_batch_within_the_limit_is_one_request_identical_to_the_plain_encoding()
    {
        var requests = new RequestSplitter(RequestEncoding.Proto, 4 * 1024 * 1024).Split(TestBatches.Known());

        var request = Assert.Single(requests);
        Assert.Equal(ModelToOtlp.ToRequest(TestBatches.Known()).ToByteArray(), request.Body);
        Assert.Equal(6, request.Samples);
    }

    [Theory]
    [InlineData(RequestEncoding.Proto, 8 * 1024)]
    [InlineData(RequestEncoding.Proto, 24 * 1024)]
    [InlineData(RequestEncoding.Json, 32 * 1024)]
    public void A_large_batch_is_split_into_self_contained_parts_within_the_limit_that_add_up_to_the_original(RequestEncoding encoding, int limit)
    {
        var batch = Large();
        var whole = ModelToOtlp.ToRequest(batch);
        Assert.True(whole.CalculateSize() > 2 * limit || encoding == RequestEncoding.Json, "the batch must be large enough to need splitting");

        var requests = new RequestSplitter(encoding, limit).Split(batch);

        Assert.True(requests.Count > 1);
        var parsed = requests.Select(r => Parse(r, encoding)).ToList();
        foreach (var (request, part) in requests.Zip(parsed))
        {
            Assert.True(request.Body.Length <= limit, $"a part of {request.Body.Length} bytes exceeds {limit}");
            Records.AssertSelfContained(part);
            Assert.Equal(Records.SampleCount(part), request.Samples);
        }
        Assert.Equal(Content(whole), parsed.SelectMany(Content).ToList());
        Assert.Equal(batch.SampleCount, requests.Sum(r => r.Samples));
        // Parts should be reasonably full: the split aims at three quarters of the limit.
        Assert.True(requests.Count <= 3 * (Size(whole, encoding) / limit + 1), $"{requests.Count} parts for {Size(whole, encoding)} bytes");
    }

    [Fact]
    public void Empty_resources_scopes_and_profiles_survive_a_split()
    {
        var batch = Large();
        batch.ResourceProfiles.Insert(1, new ResourceProfiles { Resource = new Resource { Attributes = [KeyValue.Of("empty", "resource")] } });
        batch.ResourceProfiles[3].ScopeProfiles.Add(new ScopeProfiles { Scope = new InstrumentationScope { Name = "empty scope" } });
        batch.ResourceProfiles[4].ScopeProfiles[0].Profiles.Insert(0, new Profile { TimeUnixNano = 42, Attributes = [KeyValueAndUnit.Of("empty", "profile")] });

        var requests = new RequestSplitter(RequestEncoding.Proto, 8 * 1024).Split(batch);

        Assert.True(requests.Count > 1);
        Assert.Equal(Content(ModelToOtlp.ToRequest(batch)), requests.SelectMany(r => Content(Parse(r, RequestEncoding.Proto))).ToList());
    }

    [Fact]
    public void A_single_sample_larger_than_the_limit_goes_alone()
    {
        var batch = TestBatches.Simple(20);
        batch.ResourceProfiles.AddRange(TestBatches.Big(50_000).ResourceProfiles);
        batch.ResourceProfiles.AddRange(TestBatches.Simple(20, pid: 43).ResourceProfiles);

        var requests = new RequestSplitter(RequestEncoding.Proto, 4 * 1024).Split(batch);

        var oversized = Assert.Single(requests, r => r.Body.Length > 4 * 1024);
        Assert.Equal(1, oversized.Samples);
        Assert.Equal(41, requests.Sum(r => r.Samples));
        Assert.Equal(Content(ModelToOtlp.ToRequest(batch)), requests.SelectMany(r => Content(Parse(r, RequestEncoding.Proto))).ToList());
    }

    [Fact]
    public void Zero_never_splits()
    {
        var requests = new RequestSplitter(RequestEncoding.Proto, 0).Split(Large());

        Assert.Single(requests);
    }

    [Fact]
    public void Unsymbolized_raw_samples_are_split_like_the_rest()
    {
        var frames = new ulong[] { 0xffffffff81000000, 0x401000, 0x402000 };
        var raw = new RawSampleSet { BootTimeUnixNano = 1_000, PeriodNanos = 10_000_000 };
        for (var i = 0; i < 600; i++)
        {
            raw.Samples.Add(new RawSample(100 + i % 7, 100 + i % 7, 0, (ulong)i * 1000, "app", frames.AsMemory(0, 1), frames.AsMemory(1, 1 + i % 2)));
        }
        var batch = TestBatches.FromRaw(raw);

        var requests = new RequestSplitter(RequestEncoding.Proto, 2 * 1024).Split(batch);

        Assert.True(requests.Count > 1);
        Assert.Equal(Content(ModelToOtlp.ToRequest(batch)), requests.SelectMany(r => Content(Parse(r, RequestEncoding.Proto))).ToList());
    }

    /// <summary>Five processes with many distinct frames each, plus the known batch.</summary>
    private static ProfileBatch Large()
    {
        var batch = TestBatches.Known();
        for (var pid = 1; pid <= 5; pid++)
        {
            batch.ResourceProfiles.AddRange(TestBatches.Simple(400, pid, leaves: 150, functionPrefix: $"process{pid}_function_").ResourceProfiles);
        }
        return batch;
    }

    private static ExportProfilesServiceRequest Parse(ExportRequest request, RequestEncoding encoding) =>
        encoding == RequestEncoding.Json ? OtlpJson.Parse(request.Body) : ExportProfilesServiceRequest.Parser.ParseFrom(request.Body);

    private static int Size(ExportProfilesServiceRequest request, RequestEncoding encoding) =>
        encoding == RequestEncoding.Json ? OtlpJson.Serialize(request).Length : request.CalculateSize();

    /// <summary>
    /// One line per sample (and per empty resource, scope or profile) with everything it means: its resource,
    /// scope and profile fields, its resolved stack, attributes, link, values and timestamps. Splitting must
    /// keep this list exactly, in order.
    /// </summary>
    private static List<string> Content(ExportProfilesServiceRequest request)
    {
        var lines = new List<string>();
        foreach (var resource in OtlpToModel.ToBatch(request).ResourceProfiles)
        {
            var r = "R[" + string.Join(",", resource.Resource?.Attributes ?? []) + "]";
            if (resource.ScopeProfiles.Count == 0) lines.Add(r);
            foreach (var scope in resource.ScopeProfiles)
            {
                var s = $"{r} S[{scope.Scope?.Name}/{scope.Scope?.Version}]";
                if (scope.Profiles.Count == 0) lines.Add(s);
                foreach (var profile in scope.Profiles)
                {
                    var p = $"{s} P[{profile.SampleType}/{profile.PeriodType}/{profile.Period}/{profile.TimeUnixNano}+{profile.DurationNano}/{string.Join(",", profile.Attributes)}]";
                    if (profile.Samples.Count == 0) lines.Add(p);
                    foreach (var sample in profile.Samples)
                    {
                        var frames = sample.Stack.Locations.Select(l => $"{l.Mapping}:{l.Address:x}:{string.Join("/", l.Lines.Select(line => $"{line.Function}:{line.LineNumber}:{line.Column}"))}:{string.Join(",", l.Attributes)}");
                        lines.Add($"{p} stack[{string.Join(";", frames)}] attrs[{string.Join(",", sample.Attributes)}] link[{sample.Link}] v[{string.Join(",", sample.Values)}] t[{string.Join(",", sample.TimestampsUnixNano)}]");
                    }
                }
            }
        }
        return lines;
    }
}
