using Collector.Core.Model;
using Collector.Otlp;
using Google.Protobuf;

namespace Collector.Otlp.Tests;

/// <summary>
/// The codec reuses scratch memory between exports (per-thread lookup maps, pooled buffers and caches).
/// These tests check that nothing of one export or decode shows up in another.
/// </summary>
public class CodecReuseTests
{
    [Fact]
    public void Parallel_exports_match_sequential_ones()
    {
        var batches = Enumerable.Range(0, 40).Select(seed => new RandomBatches(seed).Next()).Append(OtlpCorpus.Batch()).ToArray();
        var expected = batches.Select(b => ModelToOtlp.ToRequest(b).ToByteArray()).ToArray();

        var actual = new byte[batches.Length][];
        Parallel.For(0, batches.Length * 5, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            var index = i % batches.Length;
            actual[index] = ModelToOtlp.ToRequest(batches[index]).ToByteArray();
        });

        for (var i = 0; i < batches.Length; i++) Assert.Equal(expected[i], actual[i]);
    }

    [Fact]
    public void An_export_that_fails_leaves_nothing_for_the_next()
    {
        var expected = ModelToOtlp.ToRequest(OtlpCorpus.Batch());
        var broken = OtlpCorpus.Batch();
        // A location slipped in as null halfway through a stack: the export fails after interning part of the batch.
        var firstSample = broken.ResourceProfiles[0].ScopeProfiles[0].Profiles[0].Samples[0];
        broken.ResourceProfiles[0].ScopeProfiles[0].Profiles[0].Samples.Add(new Sample(new Stack([new Location(null, 0xbad), null!])));
        firstSample.Attributes = [KeyValueAndUnit.Of("only.in.the.broken.export", 1)];

        Assert.ThrowsAny<ArgumentException>(() => ModelToOtlp.ToRequest(broken));
        var after = ModelToOtlp.ToRequest(OtlpCorpus.Batch());

        Assert.Equal(expected.ToByteArray(), after.ToByteArray());
        Assert.Empty(ExportValidator.Validate(after));
    }

    [Fact]
    public void Decoding_one_request_does_not_leak_into_the_next()
    {
        var corpus = OtlpCorpus.Request();
        OtlpToModel.ToBatch(corpus);
        // Same table positions, different content.
        var other = corpus.Clone();
        var dictionary = other.Dictionary;
        for (var i = 1; i < dictionary.StringTable.Count; i++) dictionary.StringTable[i] = "other-" + dictionary.StringTable[i];
        for (var i = 1; i < dictionary.LocationTable.Count; i++) dictionary.LocationTable[i].Address += 1;

        var batch = OtlpToModel.ToBatch(other);

        var leaf = batch.ResourceProfiles[0].ScopeProfiles[0].Profiles[0].Samples[0].Stack.Locations[0];
        Assert.Equal("other-" + OtlpCorpus.LeafFunction, leaf.Lines[0].Function!.Name);
        Assert.Equal(0x7f00_0001_2346UL, leaf.Address);
        Assert.Equal(other.ToByteArray(), ModelToOtlp.ToRequest(batch).ToByteArray());
    }

    [Fact]
    public void Json_larger_than_the_first_buffer_round_trips()
    {
        var batch = new ProfileBatch();
        var generator = new RandomBatches(99);
        while (ModelToOtlp.ToRequest(batch).CalculateSize() < 200_000) batch.ResourceProfiles.AddRange(generator.Next().ResourceProfiles);
        var request = ModelToOtlp.ToRequest(batch);

        var json = OtlpJson.Serialize(request);

        Assert.True(json.Length > 256 * 1024, $"only {json.Length} bytes");
        Assert.Equal(request, OtlpJson.Parse(json));
        Assert.Equal(json, OtlpJson.Serialize(OtlpJson.Parse(json)));
    }
}
