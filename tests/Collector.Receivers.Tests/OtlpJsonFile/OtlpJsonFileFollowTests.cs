using Collector.Receivers.OtlpJsonFile;
using Collector.Receivers.Tests.Support;

namespace Collector.Receivers.Tests.OtlpJsonFile;

public class OtlpJsonFileFollowTests
{
    private static OtlpJsonFileReceiverOptions Following(string pattern, StartAt startAt = StartAt.Beginning) => new()
    {
        Include = [pattern],
        Follow = true,
        StartAt = startAt,
        PollInterval = TimeSpan.FromMilliseconds(50),
    };

    [Fact]
    public async Task Appended_lines_are_read_and_a_line_written_in_two_halves_waits_for_its_end()
    {
        await using var fixture = new ReceiverFixture();
        var path = fixture.PathOf("profiles.jsonl");
        await File.WriteAllBytesAsync(path, JsonLines.Of(TestBatches.Simple(1)));
        var consumer = new CapturingConsumer();
        var receiver = fixture.Create(consumer, Following(path));
        await receiver.StartAsync(fixture.Host, CancellationToken.None);
        await Eventually.TrueAsync(() => consumer.Batches.Count == 1, "the first line is read");

        await JsonLines.AppendAsync(path, JsonLines.Of(TestBatches.Simple(2), TestBatches.Simple(3)));
        await Eventually.TrueAsync(() => consumer.Batches.Count == 3, "appended lines are read");

        var split = JsonLines.Of(TestBatches.Simple(4));
        await JsonLines.AppendAsync(path, split[..(split.Length / 2)]);
        await Eventually.SeveralPollsAsync();
        Assert.Equal(3, consumer.Batches.Count);
        Assert.Equal(0, receiver.CorruptLines);

        await JsonLines.AppendAsync(path, split[(split.Length / 2)..]);
        await Eventually.TrueAsync(() => consumer.Batches.Count == 4, "the completed line is read");

        Assert.Equal([1, 2, 3, 4], consumer.Batches.Select(b => b.SampleCount));
        Assert.Equal(0, receiver.CorruptLines);
    }

    [Fact]
    public async Task A_truncated_file_is_read_again_from_its_beginning()
    {
        await using var fixture = new ReceiverFixture();
        var path = fixture.PathOf("profiles.jsonl");
        await File.WriteAllBytesAsync(path, JsonLines.Of(TestBatches.Simple(1), TestBatches.Simple(2)));
        var consumer = new CapturingConsumer();
        var receiver = fixture.Create(consumer, Following(path));
        await receiver.StartAsync(fixture.Host, CancellationToken.None);
        await Eventually.TrueAsync(() => consumer.Batches.Count == 2, "the first lines are read");

        // Truncate in place (same file), then write less than was there before.
        await using (var file = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
        {
            file.SetLength(0);
        }
        await JsonLines.AppendAsync(path, JsonLines.Of(TestBatches.Simple(7)));

        await Eventually.TrueAsync(() => consumer.Batches.Count == 3, "the rewritten file is read");
        Assert.Equal([1, 2, 7], consumer.Batches.Select(b => b.SampleCount));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_file_replaced_by_rename_is_read_from_its_beginning(bool sameLength)
    {
        await using var fixture = new ReceiverFixture();
        var path = fixture.PathOf("profiles.jsonl");
        await File.WriteAllBytesAsync(path, JsonLines.Of(TestBatches.Simple(1, pid: 8)));
        var consumer = new CapturingConsumer();
        var receiver = fixture.Create(consumer, Following(path));
        await receiver.StartAsync(fixture.Host, CancellationToken.None);
        await Eventually.TrueAsync(() => consumer.Batches.Count == 1, "the first line is read");

        // Of the same length, only the first bytes tell the new file apart; a longer one also by its size.
        var replacement = fixture.PathOf("replacement.tmp");
        var content = sameLength ? JsonLines.Of(TestBatches.Simple(1, pid: 9)) : JsonLines.Of(TestBatches.Simple(5, pid: 9), TestBatches.Simple(6, pid: 9));
        Assert.Equal(sameLength, content.Length == new FileInfo(path).Length);
        await File.WriteAllBytesAsync(replacement, content);
        File.Move(replacement, path, overwrite: true);

        int[] expected = sameLength ? [8, 9] : [8, 9, 9];
        await Eventually.TrueAsync(() => consumer.Batches.Count == expected.Length, "the replacement is read");
        Assert.Equal(expected, consumer.Batches.Select(b => (int)b.ResourceProfiles[0].Resource!.Attributes[0].Value!.IntValue));
    }

    [Fact]
    public async Task Files_that_appear_later_are_picked_up()
    {
        await using var fixture = new ReceiverFixture();
        var consumer = new CapturingConsumer();
        var receiver = fixture.Create(consumer, Following(fixture.PathOf("later/*.jsonl")));
        await receiver.StartAsync(fixture.Host, CancellationToken.None);
        await Eventually.SeveralPollsAsync();

        Directory.CreateDirectory(fixture.PathOf("later"));
        await File.WriteAllBytesAsync(fixture.PathOf("later/a.jsonl"), JsonLines.Of(TestBatches.Simple(3)));

        await Eventually.TrueAsync(() => consumer.Batches.Count == 1, "the new file is read");
        Assert.Equal(3, consumer.AcceptedSamples);
    }

    [Fact]
    public async Task Start_at_end_reads_only_what_is_appended()
    {
        await using var fixture = new ReceiverFixture();
        var path = fixture.PathOf("profiles.jsonl");
        await File.WriteAllBytesAsync(path, JsonLines.Of(TestBatches.Simple(1), TestBatches.Simple(2)));
        var consumer = new CapturingConsumer();
        var receiver = fixture.Create(consumer, Following(path, StartAt.End));
        await receiver.StartAsync(fixture.Host, CancellationToken.None);
        await Eventually.SeveralPollsAsync();

        await JsonLines.AppendAsync(path, JsonLines.Of(TestBatches.Simple(3)));

        await Eventually.TrueAsync(() => consumer.Batches.Count == 1, "the appended line is read");
        Assert.Equal(3, consumer.AcceptedSamples);
    }

    [Fact]
    public async Task A_removed_file_drops_its_unfinished_line_as_corrupt()
    {
        await using var fixture = new ReceiverFixture();
        var path = fixture.PathOf("profiles.jsonl");
        var line = JsonLines.Of(TestBatches.Simple(2));
        await File.WriteAllBytesAsync(path, [.. JsonLines.Of(TestBatches.Simple(1)), .. line[..20]]);
        var consumer = new CapturingConsumer();
        var receiver = fixture.Create(consumer, Following(path));
        await receiver.StartAsync(fixture.Host, CancellationToken.None);
        await Eventually.TrueAsync(() => consumer.Batches.Count == 1, "the complete line is read");

        File.Delete(path);

        await Eventually.TrueAsync(() => receiver.CorruptLines == 1, "the unfinished line is counted");
        Assert.Single(consumer.Batches);
    }
}
