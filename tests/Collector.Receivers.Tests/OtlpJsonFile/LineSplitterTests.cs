using System.Text;
using Collector.Receivers.OtlpJsonFile;

namespace Collector.Receivers.Tests.OtlpJsonFile;

public class LineSplitterTests
{
    [Fact]
    public void Lines_split_across_reads_come_out_whole()
    {
        var splitter = new LineSplitter(maxLineBytes: 1000);
        var lines = new List<string>();

        foreach (var chunk in new[] { "one\ntw", "o\n\nthr", "ee", "\nfour" }) Feed(splitter, chunk, lines);

        Assert.Equal(["one", "two", "", "three"], lines);
        Assert.Equal(4, splitter.LineNumber);
        Assert.True(splitter.HasPartialLine);
        Assert.Equal(LineKind.Line, splitter.TakeRest(out var rest));
        Assert.Equal("four", Encoding.UTF8.GetString(rest.Span));
        Assert.Equal(5, splitter.LineNumber);
        Assert.Equal(LineKind.None, splitter.TakeRest(out _));
    }

    [Fact]
    public void A_line_over_the_limit_is_dropped_and_reported_once_at_its_newline()
    {
        var splitter = new LineSplitter(maxLineBytes: 100);
        var kinds = new List<(LineKind, string)>();

        Feed(splitter, "short\n" + new string('x', 70_000), kinds);
        Feed(splitter, new string('y', 70_000) + "\nafter\n", kinds);

        Assert.Equal([(LineKind.Line, "short"), (LineKind.TooLong, ""), (LineKind.Line, "after")], kinds);
        Assert.Equal(3, splitter.LineNumber);
    }

    [Fact]
    public void A_dropped_line_without_newline_at_the_end_is_too_long()
    {
        var splitter = new LineSplitter(maxLineBytes: 10);
        Feed(splitter, new string('x', 100_000), new List<string>());

        Assert.Equal(LineKind.TooLong, splitter.TakeRest(out _));
    }

    [Fact]
    public void Long_lines_within_the_limit_grow_the_buffer()
    {
        var splitter = new LineSplitter(maxLineBytes: 1_000_000);
        var lines = new List<string>();
        var big = new string('z', 300_000);

        for (var i = 0; i < big.Length; i += 50_000) Feed(splitter, big.Substring(i, 50_000), lines);
        Feed(splitter, "\n", lines);

        Assert.Equal([big], lines);
    }

    [Fact]
    public void Reset_forgets_partial_lines_and_numbering()
    {
        var splitter = new LineSplitter(maxLineBytes: 100);
        Feed(splitter, "a\nb", new List<string>());

        splitter.Reset();

        Assert.False(splitter.HasPartialLine);
        Assert.Equal(0, splitter.LineNumber);
    }

    private static void Feed(LineSplitter splitter, string text, List<string> lines)
    {
        var kinds = new List<(LineKind, string)>();
        Feed(splitter, text, kinds);
        lines.AddRange(kinds.Select(k => k.Item2));
    }

    private static void Feed(LineSplitter splitter, string text, List<(LineKind, string)> lines)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var offset = 0;
        while (offset < bytes.Length)
        {
            var space = splitter.GetSpace();
            var count = Math.Min(space.Length, bytes.Length - offset);
            bytes.AsSpan(offset, count).CopyTo(space.Span);
            splitter.Advance(count);
            offset += count;
            LineKind kind;
            while ((kind = splitter.TryTake(out var line)) != LineKind.None) lines.Add((kind, Encoding.UTF8.GetString(line.Span)));
        }
    }
}
