using System.Text;
using Collector.Core.Helpers;
using Collector.Exporters.File;
using Microsoft.Extensions.Logging;

namespace Collector.Exporters.Tests.File;

public class FileExporterWriteTests
{
    [Fact]
    public async Task Without_append_the_file_is_truncated_at_start()
    {
        using var fixture = new FileExporterFixture();
        var path = fixture.PathOf("profiles.jsonl");
        await System.IO.File.WriteAllTextAsync(path, "left over from an earlier run\n");
        var exporter = fixture.Create(new FileExporterOptions { Path = path });

        await exporter.StartAsync(fixture.Host, CancellationToken.None);
        Assert.Equal(0, new FileInfo(path).Length);
        await exporter.ConsumeAsync(TestBatches.Simple(2), CancellationToken.None);
        await exporter.ShutdownAsync(CancellationToken.None);

        Assert.Equal([2], Records.ReadJsonLines(await System.IO.File.ReadAllBytesAsync(path)).Select(Records.SampleCount));
    }

    [Fact]
    public async Task With_append_earlier_content_is_kept()
    {
        using var fixture = new FileExporterFixture();
        var path = fixture.PathOf("profiles.jsonl");
        var first = fixture.Create(new FileExporterOptions { Path = path });
        await first.StartAsync(fixture.Host, CancellationToken.None);
        await first.ConsumeAsync(TestBatches.Simple(2), CancellationToken.None);
        await first.ShutdownAsync(CancellationToken.None);

        var second = fixture.Create(new FileExporterOptions { Path = path, Append = true });
        await second.StartAsync(fixture.Host, CancellationToken.None);
        await second.ConsumeAsync(TestBatches.Simple(3), CancellationToken.None);
        await second.ShutdownAsync(CancellationToken.None);

        Assert.Equal([2, 3], Records.ReadJsonLines(await System.IO.File.ReadAllBytesAsync(path)).Select(Records.SampleCount));
    }

    [Fact]
    public async Task Appending_after_a_torn_line_starts_a_new_line()
    {
        using var fixture = new FileExporterFixture();
        var path = fixture.PathOf("profiles.jsonl");
        await System.IO.File.WriteAllTextAsync(path, "{\"resourceProfiles\":[{\"res");
        var exporter = fixture.Create(new FileExporterOptions { Path = path, Append = true });
        await exporter.StartAsync(fixture.Host, CancellationToken.None);

        await exporter.ConsumeAsync(TestBatches.Simple(4), CancellationToken.None);
        await exporter.ShutdownAsync(CancellationToken.None);

        var lines = (await System.IO.File.ReadAllTextAsync(path)).Split('\n');
        Assert.Equal(["{\"resourceProfiles\":[{\"res", "<record>", ""], lines.Select((l, i) => i == 1 ? "<record>" : l));
        Assert.Equal(4, Records.SampleCount(Records.ReadJsonLines(Encoding.UTF8.GetBytes(lines[1] + "\n"))[0]));
    }

    [Fact]
    public async Task A_record_after_a_quiet_interval_is_written_at_once_and_those_that_follow_wait_for_the_interval()
    {
        using var fixture = new FileExporterFixture();
        var path = fixture.PathOf("profiles.jsonl");
        var exporter = fixture.Create(new FileExporterOptions { Path = path, FlushInterval = TimeSpan.FromSeconds(5) });
        await exporter.StartAsync(fixture.Host, CancellationToken.None);

        await exporter.ConsumeAsync(TestBatches.Simple(1), CancellationToken.None);
        Assert.Equal(1, exporter.WrittenRecords);
        Assert.Equal(0, fixture.Time.ActiveTimers);

        await exporter.ConsumeAsync(TestBatches.Simple(2), CancellationToken.None);
        fixture.Time.Advance(TimeSpan.FromSeconds(4.9));
        Assert.Single(Records.ReadJsonLines(await System.IO.File.ReadAllBytesAsync(path)));
        Assert.Equal(1, exporter.WrittenRecords);

        fixture.Time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.Equal([1, 2], Records.ReadJsonLines(await System.IO.File.ReadAllBytesAsync(path)).Select(Records.SampleCount));
        Assert.Equal(2, exporter.WrittenRecords);

        await exporter.ConsumeAsync(TestBatches.Simple(3), CancellationToken.None);
        await exporter.ShutdownAsync(CancellationToken.None);
        Assert.Equal([1, 2, 3], Records.ReadJsonLines(await System.IO.File.ReadAllBytesAsync(path)).Select(Records.SampleCount));
    }

    [Fact]
    public async Task The_interval_counts_from_the_first_waiting_record_and_quiet_counts_from_the_last_write()
    {
        // A record 3 s after a write waits the whole interval from its arrival (not 2 s); a record 5 s or more
        // after the last write is written at once, without arming the timer.
        using var fixture = new FileExporterFixture();
        var path = fixture.PathOf("profiles.jsonl");
        var exporter = fixture.Create(new FileExporterOptions { Path = path, FlushInterval = TimeSpan.FromSeconds(5) });
        await exporter.StartAsync(fixture.Host, CancellationToken.None);
        await exporter.ConsumeAsync(TestBatches.Simple(1), CancellationToken.None);
        fixture.Time.Advance(TimeSpan.FromSeconds(3));

        await exporter.ConsumeAsync(TestBatches.Simple(2), CancellationToken.None);
        fixture.Time.Advance(TimeSpan.FromSeconds(4.9));
        Assert.Equal(1, exporter.WrittenRecords);
        fixture.Time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.Equal(2, exporter.WrittenRecords);

        fixture.Time.Advance(TimeSpan.FromSeconds(4.9));
        await exporter.ConsumeAsync(TestBatches.Simple(3), CancellationToken.None);
        Assert.Equal(2, exporter.WrittenRecords);
        fixture.Time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(3, exporter.WrittenRecords);

        fixture.Time.Advance(TimeSpan.FromSeconds(5));
        await exporter.ConsumeAsync(TestBatches.Simple(4), CancellationToken.None);
        Assert.Equal(4, exporter.WrittenRecords);
        Assert.Equal(0, fixture.Time.ActiveTimers);
        await exporter.ShutdownAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_full_buffer_is_flushed_without_waiting_for_the_interval()
    {
        using var fixture = new FileExporterFixture();
        var path = fixture.PathOf("profiles.jsonl");
        var exporter = fixture.Create(new FileExporterOptions { Path = path, FlushInterval = TimeSpan.FromHours(1) }, bufferLimit: 1);
        await exporter.StartAsync(fixture.Host, CancellationToken.None);

        await exporter.ConsumeAsync(TestBatches.Simple(2), CancellationToken.None);

        Assert.Single(Records.ReadJsonLines(await System.IO.File.ReadAllBytesAsync(path)));
        await exporter.ShutdownAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_missing_directory_fails_batches_with_a_rate_limited_error_until_it_appears()
    {
        using var fixture = new FileExporterFixture();
        var directory = fixture.PathOf("not-yet");
        var path = Path.Combine(directory, "profiles.jsonl");
        var exporter = fixture.Create(new FileExporterOptions { Path = path, CreateDirectory = false });

        await exporter.StartAsync(fixture.Host, CancellationToken.None);
        Assert.Single(fixture.Logs.At(LogLevel.Error), m => m.Contains(path, StringComparison.Ordinal));

        for (var i = 0; i < 3; i++)
        {
            var error = await Assert.ThrowsAsync<IOException>(() => exporter.ConsumeAsync(TestBatches.Simple(5), CancellationToken.None).AsTask());
            Assert.Contains(path, error.Message, StringComparison.Ordinal);
        }
        Assert.Equal(15, exporter.FailedSamples);
        // Start's message, then the first write failure; the next two are held back.
        Assert.Equal(2, fixture.Logs.At(LogLevel.Error).Count());

        fixture.Time.Advance(TimeSpan.FromSeconds(10));
        await Assert.ThrowsAsync<IOException>(() => exporter.ConsumeAsync(TestBatches.Simple(5), CancellationToken.None).AsTask());
        var latest = fixture.Logs.At(LogLevel.Error).Last();
        Assert.Contains("2 similar failures", latest, StringComparison.Ordinal);
        Assert.Equal(20, exporter.FailedSamples);

        Directory.CreateDirectory(directory);
        await exporter.ConsumeAsync(TestBatches.Simple(6), CancellationToken.None);
        await exporter.ShutdownAsync(CancellationToken.None);

        Assert.Equal([6], Records.ReadJsonLines(await System.IO.File.ReadAllBytesAsync(path)).Select(Records.SampleCount));
        Assert.Equal(6, exporter.WrittenSamples);
        Assert.Equal(20, exporter.FailedSamples);
    }

    [Fact]
    public async Task Missing_parent_directories_are_created()
    {
        using var fixture = new FileExporterFixture();
        var path = fixture.PathOf("a/b/c/profiles.jsonl");
        var exporter = fixture.Create(new FileExporterOptions { Path = path });
        await exporter.StartAsync(fixture.Host, CancellationToken.None);

        await exporter.ConsumeAsync(TestBatches.Simple(1), CancellationToken.None);
        await exporter.ShutdownAsync(CancellationToken.None);

        Assert.Single(Records.ReadJsonLines(await System.IO.File.ReadAllBytesAsync(path)));
    }

    [Fact]
    public async Task A_path_below_a_regular_file_is_reported_not_thrown_at_start()
    {
        using var fixture = new FileExporterFixture();
        var blocker = fixture.PathOf("blocker");
        await System.IO.File.WriteAllTextAsync(blocker, "a file where a directory should be");
        var exporter = fixture.Create(new FileExporterOptions { Path = Path.Combine(blocker, "profiles.jsonl") });

        await exporter.StartAsync(fixture.Host, CancellationToken.None);
        await Assert.ThrowsAsync<IOException>(() => exporter.ConsumeAsync(TestBatches.Simple(2), CancellationToken.None).AsTask());
        await exporter.ShutdownAsync(CancellationToken.None);

        Assert.Equal(2, exporter.FailedSamples);
        Assert.Empty(fixture.Host.FatalErrors);
    }

    [Theory]
    [InlineData(FileFormat.Json, false)]
    [InlineData(FileFormat.Proto, false)]
    [InlineData(FileFormat.Json, true)]
    public async Task A_write_failing_mid_record_leaves_earlier_records_intact_and_the_exporter_recovers(FileFormat format, bool gzip)
    {
        using var fixture = new FileExporterFixture();
        var path = fixture.PathOf("profiles.out");
        var failures = new FailureSwitch();
        var exporter = fixture.Create(new FileExporterOptions { Path = path, Format = format, Compression = gzip ? "gzip" : "" }, failures, bufferLimit: 1);
        await exporter.StartAsync(fixture.Host, CancellationToken.None);
        await exporter.ConsumeAsync(TestBatches.Simple(1), CancellationToken.None);
        await exporter.ConsumeAsync(TestBatches.Simple(2), CancellationToken.None);
        var intact = await System.IO.File.ReadAllBytesAsync(path);

        failures.SpaceLeft = 10;
        await Assert.ThrowsAsync<IOException>(() => exporter.ConsumeAsync(TestBatches.Simple(3), CancellationToken.None).AsTask());

        Assert.Equal(intact, await System.IO.File.ReadAllBytesAsync(path));
        Assert.Equal(3, exporter.FailedSamples);

        failures.SpaceLeft = null;
        await exporter.ConsumeAsync(TestBatches.Simple(4), CancellationToken.None);
        await exporter.ShutdownAsync(CancellationToken.None);

        Assert.Equal([1, 2, 4], ReadBack(await System.IO.File.ReadAllBytesAsync(path), format, gzip).Select(Records.SampleCount));
        Assert.Equal(7, exporter.WrittenSamples);
    }

    [Fact]
    public async Task When_the_partial_record_cannot_be_cut_off_it_is_cut_off_on_reopening()
    {
        using var fixture = new FileExporterFixture();
        var path = fixture.PathOf("profiles.jsonl");
        var failures = new FailureSwitch();
        var exporter = fixture.Create(new FileExporterOptions { Path = path }, failures, bufferLimit: 1);
        await exporter.StartAsync(fixture.Host, CancellationToken.None);
        await exporter.ConsumeAsync(TestBatches.Simple(1), CancellationToken.None);
        var intact = await System.IO.File.ReadAllBytesAsync(path);

        failures.SpaceLeft = 10;
        failures.FailSetLength = true;
        await Assert.ThrowsAsync<IOException>(() => exporter.ConsumeAsync(TestBatches.Simple(3), CancellationToken.None).AsTask());
        Assert.Equal(intact.Length + 10, new FileInfo(path).Length);

        failures.SpaceLeft = null;
        failures.FailSetLength = false;
        await exporter.ConsumeAsync(TestBatches.Simple(4), CancellationToken.None);
        await exporter.ShutdownAsync(CancellationToken.None);

        Assert.Equal([1, 4], Records.ReadJsonLines(await System.IO.File.ReadAllBytesAsync(path)).Select(Records.SampleCount));
        Assert.Equal(2, failures.Opens);
    }

    [Fact]
    public async Task A_flush_failure_on_the_timer_counts_the_buffered_samples_as_failed()
    {
        using var fixture = new FileExporterFixture();
        var path = fixture.PathOf("profiles.jsonl");
        var failures = new FailureSwitch();
        var exporter = fixture.Create(new FileExporterOptions { Path = path }, failures);
        await exporter.StartAsync(fixture.Host, CancellationToken.None);
        await exporter.ConsumeAsync(TestBatches.Simple(1), CancellationToken.None);
        var firstRecord = new FileInfo(path).Length;
        await exporter.ConsumeAsync(TestBatches.Simple(2), CancellationToken.None);
        await exporter.ConsumeAsync(TestBatches.Simple(3), CancellationToken.None);

        failures.SpaceLeft = 0;
        fixture.Time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(5, exporter.FailedSamples);
        Assert.Equal(firstRecord, new FileInfo(path).Length);
        Assert.Single(fixture.Logs.At(LogLevel.Error), m => m.Contains("5 samples lost", StringComparison.Ordinal));
        await exporter.ShutdownAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Concurrent_batches_each_land_whole()
    {
        using var fixture = new FileExporterFixture();
        var path = fixture.PathOf("profiles.jsonl");
        var exporter = fixture.Create(new FileExporterOptions { Path = path }, bufferLimit: 4096);
        await exporter.StartAsync(fixture.Host, CancellationToken.None);

        var writers = Enumerable.Range(1, 8).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 25; i++) await exporter.ConsumeAsync(TestBatches.Simple(w, pid: w), CancellationToken.None);
        }));
        await Task.WhenAll(writers);
        await exporter.ShutdownAsync(CancellationToken.None);

        var records = Records.ReadJsonLines(await System.IO.File.ReadAllBytesAsync(path));
        Assert.Equal(200, records.Count);
        Assert.Equal(Enumerable.Range(1, 8).Sum(w => 25 * w), records.Sum(Records.SampleCount));
        Assert.Equal(200, exporter.WrittenRecords);
    }

    [Fact]
    public async Task Shutdown_is_safe_without_start_and_twice()
    {
        using var fixture = new FileExporterFixture();
        var path = fixture.PathOf("profiles.jsonl");
        var neverStarted = fixture.Create(new FileExporterOptions { Path = path });
        await neverStarted.ShutdownAsync(CancellationToken.None);
        await neverStarted.ShutdownAsync(CancellationToken.None);
        Assert.False(System.IO.File.Exists(path));

        var exporter = fixture.Create(new FileExporterOptions { Path = path });
        await exporter.StartAsync(fixture.Host, CancellationToken.None);
        await exporter.ConsumeAsync(TestBatches.Simple(1), CancellationToken.None);
        await exporter.ShutdownAsync(CancellationToken.None);
        await exporter.ShutdownAsync(CancellationToken.None);

        Assert.Single(Records.ReadJsonLines(await System.IO.File.ReadAllBytesAsync(path)));
        await Assert.ThrowsAsync<ComponentStoppedException>(() => exporter.ConsumeAsync(TestBatches.Simple(1), CancellationToken.None).AsTask());
    }

    private static List<Collector.Otlp.Proto.Collector.ExportProfilesServiceRequest> ReadBack(byte[] content, FileFormat format, bool gzip)
    {
        if (gzip) content = Records.Gunzip(content);
        return format == FileFormat.Json ? Records.ReadJsonLines(content) : Records.ReadProto(content);
    }
}
