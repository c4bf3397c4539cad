using System.Text;
using Collector.Processors.Symbolization;

namespace Collector.Processors.Tests.Symbolization;

public class Utf8LineReaderTests
{
    public static TheoryData<string> Texts => new()
    {
        "", "a", "a\n", "a\nb", "\n", "\n\n", "a\r\nb\r\n", "a\rb", "a\r", "\r\n\r\n", "a\r\r\nb", "a\n\rb", "\r",
        "ffffffff81000000 T _stext\nffffffff81001000 T do_syscall_64\nffffffffc0001000 t e1000_xmit\t[e1000]",
        "\ufeff", "\ufeffa\nb", "\ufeff\ufeffa", "a\ufeff\n\ufeffb", "caf\u00e9\n\u00e9",
    };

    [Theory]
    [MemberData(nameof(Texts))]
    public void Lines_are_what_StreamReader_ReadLine_reads_however_the_reads_split_them(string text)
    {
        var expected = ReadLinesOf(new StreamReader(new MemoryStream(Encoding.UTF8.GetBytes(text))));
        foreach (var bufferSize in new[] { 1, 2, 3, 5, Utf8LineReader.DefaultBufferSize })
        {
            foreach (var maxRead in new[] { 1, 2, 3, 7, int.MaxValue })
            {
                Assert.Equal(expected, ReadAll(Encoding.UTF8.GetBytes(text), bufferSize, maxRead));
            }
        }
    }

    [Fact]
    public void A_line_longer_than_the_buffer_grows_it()
    {
        var longLine = new string('x', 100_000);
        var lines = ReadAll(Encoding.UTF8.GetBytes($"first\n{longLine}\nlast"), bufferSize: 16, maxRead: 1000);
        Assert.Equal(["first", longLine, "last"], lines);
    }

    [Fact]
    public void Bytes_are_returned_as_they_are_not_decoded()
    {
        byte[] text = [0xC3, 0xA9, 0xFF, (byte)'\n', 0xE2, 0x82];
        var lines = new List<byte[]>();
        using var reader = new Utf8LineReader(new ProcLikeStream(text, maxRead: 1), bufferSize: 2);
        while (reader.TryReadLine(out var line)) lines.Add(line.ToArray());
        Assert.Equal([[0xC3, 0xA9, 0xFF], [0xE2, 0x82]], lines);
    }

    [Fact]
    public void The_stream_is_read_until_it_ends_in_large_chunks()
    {
        var text = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 10_000).Select(i => $"line {i}\n")));
        var stream = new ProcLikeStream(text);
        Assert.Equal(10_000, ReadAll(stream).Count);
        Assert.True(stream.Reads <= (text.Length / Utf8LineReader.DefaultBufferSize) + 2, $"{stream.Reads} reads");
    }

    private static List<string> ReadAll(byte[] text, int bufferSize, int maxRead) =>
        ReadAll(new ProcLikeStream(text, maxRead), bufferSize);

    private static List<string> ReadAll(Stream stream, int bufferSize = Utf8LineReader.DefaultBufferSize)
    {
        var lines = new List<string>();
        using var reader = new Utf8LineReader(stream, bufferSize);
        while (reader.TryReadLine(out var line)) lines.Add(Encoding.UTF8.GetString(line));
        return lines;
    }

    private static List<string> ReadLinesOf(TextReader reader)
    {
        var lines = new List<string>();
        while (reader.ReadLine() is { } line) lines.Add(line);
        return lines;
    }
}
