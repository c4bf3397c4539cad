using Collector.Core.Components;
using Collector.Exporters.Debug;
using Collector.Exporters.File;
using Collector.TestKit;

namespace Collector.Exporters.Tests.File;

/// <summary><c>format: folded</c>: the lines flamegraph.pl reads, and the same self weights the debug exporter prints.</summary>
public class FoldedFormatTests
{
    [Fact]
    public async Task Known_batch_becomes_one_line_per_stack_root_first_with_the_process_as_first_frame()
    {
        var text = await WriteAsync(TestBatches.Known());
        Assert.Equal(
            "app;main;compute;helper 3\n" +
            "app;main 2\n" +
            "app;main;libc.so.6+0x7f0000001234 1\n" +
            "pid 200;main;libc.so.6+0x7f0000001234;0xffffffff81000000_[k] 4\n" +
            "pid 200;main;compute;helper 1\n" +
            "unknown;[no frames] 2\n", text);
    }

    [Fact]
    public async Task Folded_lines_reproduce_the_debug_exporters_counts()
    {
        var batches = new[] { TestBatches.Known(), TestBatches.Simple(40, leaves: 7), TestBatches.Known() };
        var folded = await WriteAsync(batches);
        using var debugText = new StringWriter();
        var debug = new DebugExporter(Settings.For("debug", ComponentKind.Exporter), new DebugExporterOptions(), debugText);
        foreach (var batch in batches) await debug.ConsumeAsync(batch, CancellationToken.None);

        Assert.Equal(ProfileTexts.DebugTopFunctions(debugText.ToString()).OrderBy(p => p.Key, StringComparer.Ordinal),
            ProfileTexts.FoldedLeafWeights(folded).OrderBy(p => p.Key, StringComparer.Ordinal));
    }

    [Fact]
    public async Task Separators_inside_names_cannot_split_a_line()
    {
        var odd = TestBatches.Native(TestBatches.App, 0x1, new Core.Model.Line(new Core.Model.Function("a;b\nc")));
        var batch = new Core.Model.ProfileBatch { ResourceProfiles = [TestBatches.ResourceOf(TestBatches.CpuProfile(TestBatches.Timed(TestBatches.StackOf(odd), 2, 1)))] };
        Assert.Equal("unknown;a:b c 2\n", await WriteAsync(batch));
    }

    private static async Task<string> WriteAsync(params Core.Model.ProfileBatch[] batches)
    {
        using var fixture = new FileExporterFixture();
        var path = fixture.PathOf("stacks.folded");
        var exporter = fixture.Create(new FileExporterOptions { Path = path, Format = FileFormat.Folded });
        await exporter.StartAsync(fixture.Host, CancellationToken.None);
        await FileExporterFixture.ConsumeAllAsync(exporter, batches);
        await exporter.ShutdownAsync(CancellationToken.None);
        return await System.IO.File.ReadAllTextAsync(path);
    }
}
