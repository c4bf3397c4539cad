using System.Buffers.Binary;
using System.IO.Compression;
using Collector.Otlp;
using Collector.Otlp.Proto.Collector;

namespace Collector.TestKit;

/// <summary>Reads files written by the file exporter back into OTLP requests.</summary>
public static class Records
{
    public static List<ExportProfilesServiceRequest> ReadJsonLines(byte[] content)
    {
        Assert.True(content.Length == 0 || content[^1] == '\n', "a JSON-lines file ends with a newline");
        var requests = new List<ExportProfilesServiceRequest>();
        var start = 0;
        for (var i = 0; i < content.Length; i++)
        {
            if (content[i] != '\n') continue;
            requests.Add(OtlpJson.Parse(content.AsSpan(start, i - start)));
            start = i + 1;
        }
        return requests;
    }

    public static List<ExportProfilesServiceRequest> ReadProto(byte[] content) =>
        SplitProto(content).Select(r => ExportProfilesServiceRequest.Parser.ParseFrom(r)).ToList();

    /// <summary>4-byte big-endian length, then that many bytes; fails on a partial record.</summary>
    public static List<byte[]> SplitProto(byte[] content)
    {
        var records = new List<byte[]>();
        var offset = 0;
        while (offset < content.Length)
        {
            Assert.True(content.Length - offset >= 4, $"truncated length prefix at byte {offset}");
            var size = (int)BinaryPrimitives.ReadUInt32BigEndian(content.AsSpan(offset));
            offset += 4;
            Assert.True(content.Length - offset >= size, $"record at byte {offset - 4} claims {size} bytes, {content.Length - offset} remain");
            records.Add(content.AsSpan(offset, size).ToArray());
            offset += size;
        }
        return records;
    }

    public static byte[] Gunzip(byte[] content)
    {
        using var gzip = new GZipStream(new MemoryStream(content), CompressionMode.Decompress);
        using var plain = new MemoryStream();
        gzip.CopyTo(plain);
        return plain.ToArray();
    }

    public static int SampleCount(ExportProfilesServiceRequest request) =>
        request.ResourceProfiles.SelectMany(r => r.ScopeProfiles).SelectMany(s => s.Profiles).Sum(p => p.Samples.Count);

    /// <summary>Asserts the export stands alone (ExportValidator finds nothing).</summary>
    public static void AssertSelfContained(ExportProfilesServiceRequest request)
    {
        var problems = ExportValidator.Validate(request);
        Assert.True(problems.Count == 0, "export is not self-contained:\n" + string.Join("\n", problems));
    }
}
