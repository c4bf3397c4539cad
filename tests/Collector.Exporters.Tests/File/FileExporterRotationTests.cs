using Collector.Exporters.File;

namespace Collector.Exporters.Tests.File;

public class FileExporterRotationTests
{
    private const long Megabyte = 1024 * 1024;

    [Fact]
    public async Task Files_rotate_before_exceeding_the_limit_into_timestamped_backups()
    {
        using var fixture = new FileExporterFixture();
        var path = fixture.PathOf("profiles.jsonl");
        var exporter = fixture.Create(new FileExporterOptions { Path = path, Rotation = new RotationOptions { MaxMegabytes = 1 } });
        await exporter.StartAsync(fixture.Host, CancellationToken.None);

        // Records of a bit over 300 kB: three fit in a megabyte, the fourth starts a new file.
        for (var i = 0; i < 7; i++)
        {
            await exporter.ConsumeAsync(TestBatches.Big(300_000, (char)('a' + i)), CancellationToken.None);
            fixture.Time.Advance(TimeSpan.FromMilliseconds(250));
        }
        await exporter.ShutdownAsync(CancellationToken.None);

        var backups = Backups(fixture);
        Assert.Equal(["profiles-2026-11-21T15-04-05.873.jsonl", "profiles-2026-11-21T15-04-06.623.jsonl"], backups.Select(Path.GetFileName));
        var files = backups.Append(path).ToList();
        Assert.All(files, f => Assert.InRange(new FileInfo(f).Length, 1, Megabyte));
        Assert.Equal([3, 3, 1], files.Select(f => Records.ReadJsonLines(System.IO.File.ReadAllBytes(f)).Count));
        Assert.Equal(7, exporter.WrittenRecords);
    }

    [Fact]
    public async Task Only_the_newest_max_backups_are_kept()
    {
        using var fixture = new FileExporterFixture();
        var path = fixture.PathOf("profiles.pb");
        var exporter = fixture.Create(new FileExporterOptions
        {
            Path = path,
            Format = FileFormat.Proto,
            Rotation = new RotationOptions { MaxMegabytes = 1, MaxBackups = 2 },
        });
        await exporter.StartAsync(fixture.Host, CancellationToken.None);

        // Each record is 600 kB: every record after the first rotates.
        for (var i = 0; i < 6; i++)
        {
            await exporter.ConsumeAsync(TestBatches.Big(600_000, (char)('a' + i)), CancellationToken.None);
            fixture.Time.Advance(TimeSpan.FromSeconds(1));
        }
        await exporter.ShutdownAsync(CancellationToken.None);

        var backups = Backups(fixture);
        Assert.Equal(["profiles-2026-11-21T15-04-09.123.pb", "profiles-2026-11-21T15-04-10.123.pb"], backups.Select(Path.GetFileName));
        // The survivors hold the 4th and 5th records; the active file the 6th.
        Assert.Equal(["d", "e", "f"], backups.Append(path).Select(FirstFunctionLetter));
    }

    [Fact]
    public async Task A_record_larger_than_the_limit_is_written_whole_into_a_fresh_file()
    {
        using var fixture = new FileExporterFixture();
        var path = fixture.PathOf("profiles.jsonl");
        var exporter = fixture.Create(new FileExporterOptions { Path = path, Rotation = new RotationOptions { MaxMegabytes = 1 } });
        await exporter.StartAsync(fixture.Host, CancellationToken.None);

        await exporter.ConsumeAsync(TestBatches.Simple(1), CancellationToken.None);
        fixture.Time.Advance(TimeSpan.FromSeconds(1));
        await exporter.ConsumeAsync(TestBatches.Big(1_500_000), CancellationToken.None);
        fixture.Time.Advance(TimeSpan.FromSeconds(1));
        await exporter.ConsumeAsync(TestBatches.Simple(2), CancellationToken.None);
        await exporter.ShutdownAsync(CancellationToken.None);

        var files = Backups(fixture).Append(path).ToList();
        Assert.Equal(3, files.Count);
        Assert.Equal([1, 1, 2], files.Select(f => Records.SampleCount(Assert.Single(Records.ReadJsonLines(System.IO.File.ReadAllBytes(f))))));
        Assert.True(new FileInfo(files[1]).Length > Megabyte);
    }

    [Fact]
    public async Task Gzip_files_rotate_on_their_compressed_size()
    {
        using var fixture = new FileExporterFixture();
        var path = fixture.PathOf("profiles.jsonl.gz");
        var exporter = fixture.Create(new FileExporterOptions { Path = path, Compression = "gzip", Rotation = new RotationOptions { MaxMegabytes = 1 } });
        await exporter.StartAsync(fixture.Host, CancellationToken.None);

        // 400 kB of repeated letters compress to almost nothing: ten such records fit one compressed megabyte.
        for (var i = 0; i < 10; i++) await exporter.ConsumeAsync(TestBatches.Big(400_000, (char)('a' + i)), CancellationToken.None);
        await exporter.ShutdownAsync(CancellationToken.None);

        Assert.Empty(Backups(fixture));
        Assert.Equal(10, Records.ReadJsonLines(Records.Gunzip(await System.IO.File.ReadAllBytesAsync(path))).Count);
    }

    [Fact]
    public async Task Localtime_names_backups_in_the_local_time_zone()
    {
        var zone = TimeZoneInfo.CreateCustomTimeZone("test+02", TimeSpan.FromHours(2), "test+02", "test+02");
        using var fixture = new FileExporterFixture { Time = new ManualTimeProvider(new DateTimeOffset(2026, 11, 21, 15, 4, 5, 123, TimeSpan.Zero), zone) };
        var path = fixture.PathOf("profiles.jsonl");
        var exporter = fixture.Create(new FileExporterOptions { Path = path, Rotation = new RotationOptions { MaxMegabytes = 1, Localtime = true } });
        await exporter.StartAsync(fixture.Host, CancellationToken.None);

        await exporter.ConsumeAsync(TestBatches.Big(600_000), CancellationToken.None);
        await exporter.ConsumeAsync(TestBatches.Big(600_000), CancellationToken.None);
        await exporter.ShutdownAsync(CancellationToken.None);

        Assert.Equal(["profiles-2026-11-21T17-04-05.123.jsonl"], Backups(fixture).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Rotations_within_one_millisecond_get_distinct_names()
    {
        using var fixture = new FileExporterFixture();
        var path = fixture.PathOf("profiles.jsonl");
        var exporter = fixture.Create(new FileExporterOptions { Path = path, Rotation = new RotationOptions { MaxMegabytes = 1 } });
        await exporter.StartAsync(fixture.Host, CancellationToken.None);

        for (var i = 0; i < 3; i++) await exporter.ConsumeAsync(TestBatches.Big(600_000), CancellationToken.None);
        await exporter.ShutdownAsync(CancellationToken.None);

        Assert.Equal(["profiles-2026-11-21T15-04-05.123.jsonl", "profiles-2026-11-21T15-04-05.124.jsonl"], Backups(fixture).Select(Path.GetFileName));
    }

    private static List<string> Backups(FileExporterFixture fixture) =>
        Directory.GetFiles(fixture.Directory.Path, "profiles-*").Order(StringComparer.Ordinal).ToList();

    private static string FirstFunctionLetter(string protoFile)
    {
        var request = Assert.Single(Records.ReadProto(System.IO.File.ReadAllBytes(protoFile)));
        return request.Dictionary.StringTable.Single(s => s.Length >= 600_000)[..1];
    }
}
