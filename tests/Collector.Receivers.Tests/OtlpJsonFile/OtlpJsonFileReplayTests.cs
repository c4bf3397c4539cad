using System.IO.Compression;
using Collector.Receivers.OtlpJsonFile;
using Collector.Receivers.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Collector.Receivers.Tests.OtlpJsonFile;

public class OtlpJsonFileReplayTests
{
    /// <summary>
    /// An export written by hand the way the OpenTelemetry Collector's pdata writes one: hex profileId, 64-bit
    /// numbers as strings, every dictionary table starting with its zero entry.
    /// </summary>
    private const string ForeignExport = """
        {"resourceProfiles":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"cart"}}]},
          "scopeProfiles":[{"scope":{"name":"otelcol"},"profiles":[{"sampleType":{"typeStrindex":1,"unitStrindex":2},
            "samples":[{"stackIndex":1,"values":["5"]},{"stackIndex":2,"timestampsUnixNano":["1795000000000000000","1795000000010000000"]}],
            "timeUnixNano":"1795000000000000000","durationNano":"1000000000","periodType":{"typeStrindex":3,"unitStrindex":4},
            "period":"10000000","profileId":"0102030405060708090a0b0c0d0e0f10"}]}]}],
         "dictionary":{"mappingTable":[{}],
           "locationTable":[{},{"address":"4198400","lines":[{"functionIndex":1,"line":"12"}]},{"address":"4202496","lines":[{"functionIndex":2}]}],
           "functionTable":[{},{"nameStrindex":5},{"nameStrindex":6}],"linkTable":[{}],
           "stringTable":["","samples","count","cpu","nanoseconds","main","work"],"attributeTable":[{}],
           "stackTable":[{},{"locationIndices":[1]},{"locationIndices":[2,1]}]}}
        """;

    [Fact]
    public async Task Every_line_becomes_one_batch_with_its_samples()
    {
        await using var fixture = new ReceiverFixture();
        var path = fixture.PathOf("profiles.jsonl");
        await File.WriteAllBytesAsync(path, [.. JsonLines.Of(TestBatches.Known(), TestBatches.Simple(5)), .. "\n  \r\n"u8, .. JsonLines.Of(TestBatches.Simple(2))]);
        var consumer = new CapturingConsumer();
        var receiver = fixture.Create(consumer, path);

        await fixture.ReplayAsync(receiver);

        Assert.Equal([6, 5, 2], consumer.Batches.Select(b => b.SampleCount));
        Assert.Equal(TestBatches.Stacks(TestBatches.Known()), TestBatches.Stacks(consumer.Batches[0]));
        Assert.Equal(3, receiver.AcceptedBatches);
        Assert.Equal(13, receiver.AcceptedSamples);
        Assert.Equal(0, receiver.CorruptLines);
    }

    [Fact]
    public async Task Corrupt_and_truncated_lines_are_counted_and_skipped()
    {
        await using var fixture = new ReceiverFixture();
        var path = fixture.PathOf("profiles.jsonl");
        var good = JsonLines.Of(TestBatches.Simple(3));
        await File.WriteAllBytesAsync(path,
        [
            .. good,
            .. "{\"resourceProfiles\": [ this is not json\n"u8,
            .. good[..(good.Length / 2)], (byte)'\n',
            .. JsonLines.Of(TestBatches.Simple(4)),
            .. "{\"resourceProfiles\":[],\"dictionary\":{\"stringTable\":[\"\"],\"stackTable\":[{}]}, \"x\": }\n"u8,
            .. JsonLines.Of(TestBatches.Simple(5))[..^1], // the last line has no newline
        ]);
        var consumer = new CapturingConsumer();
        var receiver = fixture.Create(consumer, path);

        await fixture.ReplayAsync(receiver);

        Assert.Equal([3, 4, 5], consumer.Batches.Select(b => b.SampleCount));
        Assert.Equal(3, receiver.CorruptLines);
        var warnings = fixture.Logs.At(LogLevel.Warning).ToList();
        // Rate-limited: the first corrupt line is reported with file and line number, the next two are held back.
        Assert.Contains(warnings, w => w.Contains($"{path}:2", StringComparison.Ordinal));
        Assert.DoesNotContain(warnings, w => w.Contains($"{path}:3", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_final_line_without_newline_that_does_not_parse_is_corrupt()
    {
        await using var fixture = new ReceiverFixture();
        var path = fixture.PathOf("profiles.jsonl");
        var line = JsonLines.Of(TestBatches.Simple(2));
        await File.WriteAllBytesAsync(path, [.. line, .. line[..40]]);
        var consumer = new CapturingConsumer();
        var receiver = fixture.Create(consumer, path);

        await fixture.ReplayAsync(receiver);

        Assert.Single(consumer.Batches);
        Assert.Equal(1, receiver.CorruptLines);
    }

    [Fact]
    public async Task Exports_from_other_otlp_producers_are_read()
    {
        await using var fixture = new ReceiverFixture();
        var path = fixture.PathOf("collector.json");
        // One line, as in a file: the indentation above is only for reading.
        await File.WriteAllTextAsync(path, ForeignExport.ReplaceLineEndings("") + "\n");
        var consumer = new CapturingConsumer();
        var receiver = fixture.Create(consumer, path);

        await fixture.ReplayAsync(receiver);

        var batch = Assert.Single(consumer.Batches);
        Assert.Equal(["main", "work;main"], TestBatches.Stacks(batch));
        Assert.Equal(7, batch.ResourceProfiles[0].ScopeProfiles[0].Profiles[0].Samples.Sum(s => s.Weight));
    }

    [Fact]
    public async Task Gzip_files_of_several_members_are_replayed_up_to_a_damaged_end()
    {
        await using var fixture = new ReceiverFixture();
        var whole = fixture.PathOf("a.jsonl.gz");
        var torn = fixture.PathOf("b.jsonl.gz");
        byte[] members = [.. Gzip(JsonLines.Of(TestBatches.Simple(1), TestBatches.Simple(2))), .. Gzip(JsonLines.Of(TestBatches.Simple(3)))];
        await File.WriteAllBytesAsync(whole, members);
        var secondMember = Gzip(JsonLines.Of(TestBatches.Simple(40)));
        await File.WriteAllBytesAsync(torn, [.. Gzip(JsonLines.Of(TestBatches.Simple(4))), .. secondMember[..(secondMember.Length / 2)]]);
        var consumer = new CapturingConsumer();
        var receiver = fixture.Create(consumer, fixture.PathOf("*.gz"));

        await fixture.ReplayAsync(receiver);

        Assert.Equal([1, 2, 3, 4], consumer.Batches.Select(b => b.SampleCount));
        Assert.Contains(fixture.Logs.At(LogLevel.Warning), w => w.Contains(torn, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Files_matched_by_several_patterns_are_read_once_in_path_order()
    {
        await using var fixture = new ReceiverFixture();
        await File.WriteAllBytesAsync(fixture.PathOf("2.jsonl"), JsonLines.Of(TestBatches.Simple(2)));
        await File.WriteAllBytesAsync(fixture.PathOf("1.jsonl"), JsonLines.Of(TestBatches.Simple(1)));
        var consumer = new CapturingConsumer();
        var receiver = fixture.Create(consumer, fixture.PathOf("*.jsonl"), fixture.PathOf("1.jsonl"));

        await fixture.ReplayAsync(receiver);

        Assert.Equal([1, 2], consumer.Batches.Select(b => b.SampleCount));
    }

    [Fact]
    public async Task A_pattern_matching_nothing_is_a_warning_not_a_failure()
    {
        await using var fixture = new ReceiverFixture();
        var consumer = new CapturingConsumer();
        var pattern = fixture.PathOf("nothing-here/*.jsonl");
        var receiver = fixture.Create(consumer, pattern);

        await fixture.ReplayAsync(receiver);

        Assert.Contains(fixture.Logs.At(LogLevel.Warning), w => w.Contains(pattern, StringComparison.Ordinal));
        Assert.Empty(consumer.Batches);
    }

    [Fact]
    public async Task Start_at_end_without_follow_reads_nothing()
    {
        await using var fixture = new ReceiverFixture();
        var path = fixture.PathOf("profiles.jsonl");
        await File.WriteAllBytesAsync(path, JsonLines.Of(TestBatches.Simple(2)));
        var consumer = new CapturingConsumer();
        var receiver = fixture.Create(consumer, new OtlpJsonFileReceiverOptions { Include = [path], StartAt = StartAt.End });

        await fixture.ReplayAsync(receiver);

        Assert.Empty(consumer.Batches);
    }

    private static byte[] Gzip(byte[] content)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(content);
        return output.ToArray();
    }
}
