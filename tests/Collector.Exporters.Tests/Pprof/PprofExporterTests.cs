using Collector.Core.Components;
using Collector.Core.Model;
using Collector.Exporters.Pprof;
using Collector.TestKit;
using Collector.TestKit;
using static Collector.TestKit.TestBatches;

namespace Collector.Exporters.Tests.Pprof;

/// <summary>The pprof files, read back by <c>go tool pprof</c>: tables, labels, build ids, per-process split and rotation.</summary>
public class PprofExporterTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Go_tool_pprof_reads_a_report_with_its_functions_build_id_and_labels()
    {
        if (!GoPprof.Available(output)) return;
        using var directory = new TempDirectory();
        await ExportAsync(new PprofExporterOptions { Directory = directory.Path }, Known());
        var file = Assert.Single(Directory.GetFiles(directory.Path));
        Assert.Matches(@"/profile-\d{8}T\d{6}\.\d{3}Z\.pb\.gz$", file);

        var raw = await GoPprof.RunAsync("-raw", file);
        output.WriteLine(raw);
        Assert.Contains("PeriodType: cpu nanoseconds", raw, StringComparison.Ordinal);
        Assert.Contains("Period: 10000000", raw, StringComparison.Ordinal);
        Assert.Contains("samples/count cpu/nanoseconds", raw, StringComparison.Ordinal);
        Assert.Contains("/usr/bin/app abcdef0123456789", raw, StringComparison.Ordinal);
        Assert.Contains("process.pid:[100]", raw, StringComparison.Ordinal);
        Assert.Contains("thread.id:[101]", raw, StringComparison.Ordinal);
        Assert.Contains("process.executable.name:[app]", raw, StringComparison.Ordinal);
        Assert.Contains("service.name:[checkout]", raw, StringComparison.Ordinal);

        // Self weights of Known(): helper 4, [kernel frame] 4, main 2, <no frames> 2, libc 1 (of 13).
        var top = await GoPprof.RunAsync("-top", "-sample_index=samples", file);
        output.WriteLine(top);
        var shares = GoPprof.FlatShares(top);
        Assert.Equal(100.0 * 4 / 13, shares["helper"], 1);
        Assert.Equal(100.0 * 2 / 13, shares["main"], 1);

        // helper inlined into compute: one location, two lines, and the caller chain main ← compute ← helper.
        var traces = await GoPprof.RunAsync("-traces", file);
        output.WriteLine(traces);
        Assert.Matches(@"helper \(inline\)\s*\n\s*compute\s*\n\s*main", traces);
    }

    [Fact]
    public async Task Per_process_writes_one_file_per_pid_and_one_for_resources_without()
    {
        if (!GoPprof.Available(output)) return;
        using var directory = new TempDirectory();
        await ExportAsync(new PprofExporterOptions { Directory = directory.Path, PerProcess = true }, Known());
        var files = Directory.GetFiles(directory.Path).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(3, files.Count);
        Assert.Single(files, f => f.EndsWith("-pid100.pb.gz", StringComparison.Ordinal));
        Assert.Single(files, f => f.EndsWith("-pid200.pb.gz", StringComparison.Ordinal));
        var pid200 = await GoPprof.RunAsync("-raw", files.Single(f => f.EndsWith("-pid200.pb.gz", StringComparison.Ordinal)));
        Assert.DoesNotContain("process.pid:[100]", pid200, StringComparison.Ordinal);
        Assert.Contains("process.pid:[200]", pid200, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rotation_keeps_the_newest_files()
    {
        using var directory = new TempDirectory();
        var time = new ManualTimeProvider(DateTimeOffset.Parse("2026-01-02T03:04:05Z", System.Globalization.CultureInfo.InvariantCulture));
        var exporter = new PprofExporter(Settings.For("pprof", ComponentKind.Exporter, time),
            new PprofExporterOptions { Directory = directory.Path, Rotation = new PprofRotationOptions { MaxFiles = 2 } });
        await exporter.StartAsync(new TestHost(), CancellationToken.None);
        for (var i = 0; i < 4; i++)
        {
            await exporter.ConsumeAsync(Simple(3), CancellationToken.None);
            time.Advance(TimeSpan.FromSeconds(1));
        }
        await exporter.ShutdownAsync(CancellationToken.None);
        var names = Directory.GetFiles(directory.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["profile-20260102T030407.000Z.pb.gz", "profile-20260102T030408.000Z.pb.gz"], names);
    }

    [Fact]
    public void Options_need_a_directory_or_an_endpoint()
    {
        Assert.Contains(new PprofExporterOptions().Validate(), e => e.Key == "directory");
        Assert.Empty(new PprofExporterOptions { Endpoint = "localhost:6060" }.Validate());
        Assert.Contains(new PprofExporterOptions { Endpoint = "6060" }.Validate(), e => e.Key == "endpoint");
    }

    private static async Task ExportAsync(PprofExporterOptions options, params ProfileBatch[] batches)
    {
        var exporter = new PprofExporter(Settings.For("pprof", ComponentKind.Exporter), options);
        await exporter.StartAsync(new TestHost(), CancellationToken.None);
        foreach (var batch in batches) await exporter.ConsumeAsync(batch, CancellationToken.None);
        await exporter.ShutdownAsync(CancellationToken.None);
    }
}
