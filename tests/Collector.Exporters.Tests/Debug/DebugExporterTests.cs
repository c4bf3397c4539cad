using Collector.Core.Components;
using Collector.Core.Model;
using Collector.Exporters.Debug;

namespace Collector.Exporters.Tests.Debug;

public class DebugExporterTests
{
    private const string KnownSummary =
        "profiles: 6 samples (weight 13), 3 processes, 3 resources\n";

    private const string KnownTopFunctions =
        "  top functions by self samples (total 13):\n" +
        "           4   30.8%  [kernel] 0xffffffff81000000\n" +
        "           4   30.8%  helper\n" +
        "           2   15.4%  <no frames>\n" +
        "           2   15.4%  main\n" +
        "           1    7.7%  libc.so.6+0x7f0000001234\n";

    [Fact]
    public async Task Basic_prints_one_line_per_batch()
    {
        var text = await PrintAsync(DebugVerbosity.Basic, TestBatches.Known());

        Assert.Equal(KnownSummary, text);
    }

    [Fact]
    public async Task Normal_adds_the_top_functions_by_self_weight()
    {
        var text = await PrintAsync(DebugVerbosity.Normal, TestBatches.Known());

        Assert.Equal(KnownSummary + KnownTopFunctions, text);
    }

    [Fact]
    public async Task Only_the_top_ten_functions_are_listed()
    {
        var text = await PrintAsync(DebugVerbosity.Normal, TestBatches.Simple(24, leaves: 12));

        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("profiles: 24 samples (weight 24), 1 processes, 1 resources", lines[0]);
        Assert.Equal("  top functions by self samples (total 24):", lines[1]);
        Assert.Equal(12, lines.Length);
        // Equal weights are listed by name, so fn10 and fn11 sort before fn2 and fn8, fn9 drop out.
        Assert.Equal(["fn0", "fn1", "fn10", "fn11", "fn2", "fn3", "fn4", "fn5", "fn6", "fn7"], lines[2..].Select(l => l.Split("  ")[^1]));
        Assert.All(lines[2..], l => Assert.StartsWith("           2    8.3%  fn", l, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Detailed_prints_every_resource_profile_sample_and_frame()
    {
        var text = await PrintAsync(DebugVerbosity.Detailed, TestBatches.Known());

        Assert.StartsWith(KnownSummary + KnownTopFunctions, text, StringComparison.Ordinal);
        string[] expected =
        [
            "resource #0",
            "  process.pid=100",
            "  process.executable.name=app",
            "  scope #0 collector 0.1.0",
            "    profile #0 sample_type=samples/count period=10000000 cpu/nanoseconds time=2026-11-18T11:06:40.000000000Z duration=1000000000ns samples=3",
            "      sample #0 weight=3 values=[] timestamps=3",
            "        thread.id=101",
            "        #0 helper helper.h:8 0x402000 /usr/bin/app",
            "          (inlined into) compute compute.cc:44",
            "        #1 main main.c:12 0x401000 /usr/bin/app",
            "        #0 <unsymbolized> 0x7f0000001234 /usr/lib/x86_64-linux-gnu/libc.so.6",
            "resource #1",
            "  process.pid=200",
            "      sample #0 weight=4 values=[4] timestamps=0",
            "        #0 [kernel] <unsymbolized> 0xffffffff81000000",
            "resource #2",
            "  service.name=checkout",
            "      sample #0 weight=2 values=[2] timestamps=0",
            "        <no frames>",
        ];
        var lines = text.Split('\n');
        Assert.All(expected, line => Assert.Contains(line, lines));
        // Every frame of every sample: 2 + 1 + 2 + 3 + 2 + 0 locations.
        Assert.Equal(10, lines.Count(l => System.Text.RegularExpressions.Regex.IsMatch(l, "^        #[0-9]+ ")));
    }

    [Fact]
    public async Task Unsymbolized_raw_samples_are_counted_and_summarised_by_address()
    {
        var batch = TestBatches.FromRaw(new RawSampleSet
        {
            PeriodNanos = 10_000_000,
            Samples =
            [
                new RawSample(1, 1, 0, 100, "a", new ulong[] { 0xffffffff81000000 }, new ulong[] { 0x401000 }),
                new RawSample(1, 2, 1, 200, "a", Array.Empty<ulong>(), new ulong[] { 0x401000 }),
                new RawSample(2, 2, 1, 300, "b", Array.Empty<ulong>(), new ulong[] { 0x402000 }),
            ],
        });

        var text = await PrintAsync(DebugVerbosity.Normal, batch);
        var detailed = await PrintAsync(DebugVerbosity.Detailed, batch);

        Assert.Equal(
            "profiles: 3 samples (weight 3), 2 processes, 2 resources\n" +
            "  top functions by self samples (total 3):\n" +
            "           1   33.3%  0x401000\n" +
            "           1   33.3%  0x402000\n" +
            "           1   33.3%  [kernel] 0xffffffff81000000\n",
            text);
        Assert.Contains("        #0 [kernel] <unsymbolized> 0xffffffff81000000\n        #1 <unsymbolized> 0x401000\n", detailed, StringComparison.Ordinal);
        Assert.Equal(2, batch.ResourceProfiles.Count); // read, never changed: other exporters share the batch
    }

    [Fact]
    public async Task Batches_without_samples_print_nothing()
    {
        Assert.Equal("", await PrintAsync(DebugVerbosity.Detailed, TestBatches.EventsOnly()));
    }

    [Fact]
    public async Task Concurrent_batches_do_not_interleave()
    {
        using var output = new StringWriter();
        var exporter = new DebugExporter(Settings.For("debug", ComponentKind.Exporter), new DebugExporterOptions(), output);
        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => exporter.ConsumeAsync(TestBatches.Known(), CancellationToken.None).AsTask())));
        await exporter.ShutdownAsync(CancellationToken.None);

        Assert.Equal(string.Concat(Enumerable.Repeat(KnownSummary + KnownTopFunctions, 16)), output.ToString());
    }

    [Fact]
    public void Options_default_to_normal_and_the_factory_describes_itself()
    {
        var factory = new DebugExporterFactory();
        var options = (DebugExporterOptions)factory.CreateDefaultOptions();

        Assert.Equal(DebugVerbosity.Normal, options.Verbosity);
        Assert.Empty(options.Validate());
        Assert.Equal("verbosity", Assert.Single(new DebugExporterOptions { Verbosity = (DebugVerbosity)7 }.Validate()).Key);
        Assert.Equal("debug", factory.Type);
        Assert.False(string.IsNullOrWhiteSpace(factory.Description));
        Assert.IsType<DebugExporter>(factory.CreateExporter(Settings.For("debug", ComponentKind.Exporter), options));
    }

    private static async Task<string> PrintAsync(DebugVerbosity verbosity, ProfileBatch batch)
    {
        using var output = new StringWriter();
        var exporter = new DebugExporter(Settings.For("debug", ComponentKind.Exporter), new DebugExporterOptions { Verbosity = verbosity }, output);
        await exporter.StartAsync(new TestHost(), CancellationToken.None);
        await exporter.ConsumeAsync(batch, CancellationToken.None);
        await exporter.ShutdownAsync(CancellationToken.None);
        return output.ToString();
    }
}
