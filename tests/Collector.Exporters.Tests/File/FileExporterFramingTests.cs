using System.Diagnostics;
using Collector.Exporters.File;

namespace Collector.Exporters.Tests.File;

public class FileExporterFramingTests
{
    [Fact]
    public async Task Json_writes_one_self_contained_export_per_line()
    {
        using var fixture = new FileExporterFixture();
        var path = fixture.PathOf("profiles.jsonl");
        var exporter = fixture.Create(new FileExporterOptions { Path = path });
        await exporter.StartAsync(fixture.Host, CancellationToken.None);

        await FileExporterFixture.ConsumeAllAsync(exporter, [TestBatches.Known(), TestBatches.EventsOnly(), TestBatches.Simple(5), TestBatches.Simple(1)]);
        await exporter.ShutdownAsync(CancellationToken.None);

        var records = Records.ReadJsonLines(await System.IO.File.ReadAllBytesAsync(path));
        Assert.Equal([6, 5, 1], records.Select(Records.SampleCount));
        records.ForEach(Records.AssertSelfContained);
        Assert.Equal(3, exporter.WrittenRecords);
        Assert.Equal(12, exporter.WrittenSamples);
        Assert.Equal(0, exporter.FailedSamples);
    }

    [Fact]
    public async Task Proto_writes_length_prefixed_messages()
    {
        using var fixture = new FileExporterFixture();
        var path = fixture.PathOf("profiles.pb");
        var exporter = fixture.Create(new FileExporterOptions { Path = path, Format = FileFormat.Proto });
        await exporter.StartAsync(fixture.Host, CancellationToken.None);

        await FileExporterFixture.ConsumeAllAsync(exporter, [TestBatches.Known(), TestBatches.Simple(7)]);
        await exporter.ShutdownAsync(CancellationToken.None);

        var records = Records.ReadProto(await System.IO.File.ReadAllBytesAsync(path));
        Assert.Equal([6, 7], records.Select(Records.SampleCount));
        records.ForEach(Records.AssertSelfContained);
        // Every record carries its own dictionary: function names repeat across records.
        Assert.All(records, r => Assert.Contains("main", r.Dictionary.StringTable));
    }

    [Fact]
    public async Task Batches_without_samples_write_nothing()
    {
        using var fixture = new FileExporterFixture();
        var path = fixture.PathOf("profiles.jsonl");
        var exporter = fixture.Create(new FileExporterOptions { Path = path });
        await exporter.StartAsync(fixture.Host, CancellationToken.None);

        await exporter.ConsumeAsync(TestBatches.EventsOnly(), CancellationToken.None);
        await exporter.ShutdownAsync(CancellationToken.None);

        Assert.Equal(0, new FileInfo(path).Length);
        Assert.Equal(0, exporter.WrittenRecords);
    }

    [Theory]
    [InlineData(FileFormat.Json)]
    [InlineData(FileFormat.Proto)]
    public async Task Gzip_files_are_complete_members_holding_exactly_the_uncompressed_framing(FileFormat format)
    {
        using var fixture = new FileExporterFixture();
        var plainPath = fixture.PathOf("plain.out");
        var gzipPath = fixture.PathOf("compressed.out.gz");
        var plain = fixture.Create(new FileExporterOptions { Path = plainPath, Format = format });
        var gzip = fixture.Create(new FileExporterOptions { Path = gzipPath, Format = format, Compression = "gzip" });
        await plain.StartAsync(fixture.Host, CancellationToken.None);
        await gzip.StartAsync(fixture.Host, CancellationToken.None);

        byte[] afterFirstFlush = [];
        foreach (var exporter in new[] { plain, gzip })
        {
            await exporter.ConsumeAsync(TestBatches.Known(), CancellationToken.None);
            fixture.Time.Advance(TimeSpan.FromSeconds(1));
            afterFirstFlush = await System.IO.File.ReadAllBytesAsync(gzipPath);
            await exporter.ConsumeAsync(TestBatches.Simple(4), CancellationToken.None);
            await exporter.ConsumeAsync(TestBatches.Simple(2), CancellationToken.None);
            await exporter.ShutdownAsync(CancellationToken.None);
        }

        var expected = await System.IO.File.ReadAllBytesAsync(plainPath);
        var compressed = await System.IO.File.ReadAllBytesAsync(gzipPath);
        Assert.Equal(expected, Records.Gunzip(compressed));
        // One member per flush, each complete on its own: the timer's, then shutdown's.
        var firstRecord = Records.Gunzip(afterFirstFlush);
        Assert.Equal(expected[..firstRecord.Length], firstRecord);
        Assert.Equal(expected[firstRecord.Length..], Records.Gunzip(compressed[afterFirstFlush.Length..]));
        if (ZcatOutput(gzipPath) is { } zcat) Assert.Equal(expected, zcat);
    }

    [Fact]
    public async Task Damage_to_the_last_gzip_member_leaves_earlier_members_readable()
    {
        using var fixture = new FileExporterFixture();
        var path = fixture.PathOf("profiles.jsonl.gz");
        var exporter = fixture.Create(new FileExporterOptions { Path = path, Compression = "gzip" });
        await exporter.StartAsync(fixture.Host, CancellationToken.None);
        await exporter.ConsumeAsync(TestBatches.Simple(3), CancellationToken.None);
        fixture.Time.Advance(TimeSpan.FromSeconds(1));
        var firstMember = await System.IO.File.ReadAllBytesAsync(path);
        await exporter.ConsumeAsync(TestBatches.Simple(9), CancellationToken.None);
        await exporter.ShutdownAsync(CancellationToken.None);

        // A crash in the middle of writing the second member.
        var content = await System.IO.File.ReadAllBytesAsync(path);
        var torn = content[..(firstMember.Length + (content.Length - firstMember.Length) / 2)];

        var readable = ReadUntilDamage(torn);
        var records = Records.ReadJsonLines(readable[..(Array.LastIndexOf(readable, (byte)'\n') + 1)]);
        Assert.Equal(3, Records.SampleCount(Assert.Single(records)));
    }

    private static byte[] ReadUntilDamage(byte[] gzip)
    {
        using var stream = new System.IO.Compression.GZipStream(new MemoryStream(gzip), System.IO.Compression.CompressionMode.Decompress);
        var output = new MemoryStream();
        var buffer = new byte[256];
        try
        {
            int read;
            while ((read = stream.Read(buffer)) > 0) output.Write(buffer, 0, read);
        }
        catch (InvalidDataException)
        {
            // Expected at the torn member.
        }
        return output.ToArray();
    }

    private static byte[]? ZcatOutput(string path)
    {
        try
        {
            using var zcat = Process.Start(new ProcessStartInfo("zcat", [path]) { RedirectStandardOutput = true })!;
            using var output = new MemoryStream();
            zcat.StandardOutput.BaseStream.CopyTo(output);
            zcat.WaitForExit();
            Assert.Equal(0, zcat.ExitCode);
            return output.ToArray();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // zcat is not installed: the GZipStream check above stands alone.
        }
    }
}
