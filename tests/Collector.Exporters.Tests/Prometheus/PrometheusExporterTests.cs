using Collector.Core.Components;
using Collector.Core.Model;
using Collector.Exporters.Prometheus;
using Collector.Telemetry.Exposition;
using static Collector.TestKit.TestBatches;

namespace Collector.Exporters.Tests.Prometheus;

public class PrometheusExporterTests
{
    private static PrometheusExporter Create(PrometheusExporterOptions? options = null, TimeProvider? time = null) =>
        new(Settings.For("prometheus", ComponentKind.Exporter, time), options ?? new PrometheusExporterOptions());

    /// <summary>Series as "label=value,..." → seconds, rounded to the nanosecond.</summary>
    private static Dictionary<string, double> Series(PrometheusExporter exporter)
    {
        var family = exporter.Collect().SingleOrDefault();
        if (family is null) return [];
        Assert.Equal("profile_cpu_seconds", family.Name);
        Assert.Equal(MetricType.Counter, family.Type);
        Assert.Equal("seconds", family.Unit);
        return family.Series.ToDictionary(s => string.Join(",", s.Labels.Where(l => l.Value.Length > 0).Select(l => $"{l.Name}={l.Value}")), s => Math.Round(s.Value, 9));
    }

    [Fact]
    public async Task Each_sample_occurrence_is_worth_one_period_of_cpu_time_for_its_leaf_function()
    {
        var exporter = Create();
        await exporter.ConsumeAsync(Known(), CancellationToken.None);

        Assert.Equal(new Dictionary<string, double>
        {
            // pid 100 has an executable name; pid 200 is known by its pid; the third resource has neither.
            ["process=app,function=helper"] = 0.03,
            ["process=app,function=main"] = 0.02,
            ["process=app,function=libc.so.6+0x7f0000001234"] = 0.01,
            ["process=200,function=[kernel] 0xffffffff81000000"] = 0.04,
            ["process=200,function=helper"] = 0.01,
            ["function=[no frames]"] = 0.02,
        }, Series(exporter));
    }

    [Fact]
    public async Task Counters_grow_across_batches_and_labels_follow_the_configured_list_and_order()
    {
        var exporter = Create(new PrometheusExporterOptions { Labels = ["function", "pid", "thread"] });
        await exporter.ConsumeAsync(Known(), CancellationToken.None);
        await exporter.ConsumeAsync(Known(), CancellationToken.None);

        var family = Assert.Single(exporter.Collect());
        Assert.All(family.Series, s => Assert.Equal(["function", "pid", "thread"], s.Labels.Select(l => l.Name)));
        var series = Series(exporter);
        Assert.Equal(0.04, series["function=main,pid=100"]);
        Assert.Equal(0.06, series["function=helper,pid=100"]);
        Assert.Equal(0.02, series["function=helper,pid=200"]);
    }

    [Fact]
    public async Task Unsymbolized_raw_samples_are_worth_their_sets_period()
    {
        var frames = new ulong[] { 0xffffffff81000100, 0x401000, 0x402000 };
        var raw = new RawSampleSet
        {
            PeriodNanos = 1_000_000_000 / 20,
            Samples =
            [
                new RawSample(7, 7, 0, 100, "worker", frames.AsMemory(0, 1), frames.AsMemory(1, 2)),
                new RawSample(7, 8, 1, 200, "worker", ReadOnlyMemory<ulong>.Empty, frames.AsMemory(1, 2)),
                new RawSample(7, 8, 1, 300, "worker", ReadOnlyMemory<ulong>.Empty, frames.AsMemory(1, 2)),
            ],
        };
        var exporter = Create();
        await exporter.ConsumeAsync(TestBatches.FromRaw(raw), CancellationToken.None);

        Assert.Equal(new Dictionary<string, double>
        {
            ["process=7,function=[kernel] 0xffffffff81000100"] = 0.05,
            ["process=7,function=0x401000"] = 0.1,
        }, Series(exporter));
    }

    [Fact]
    public async Task Cpu_time_values_count_as_they_are_and_other_profiles_are_left_out()
    {
        var cpu = CpuProfile(Valued(StackOf(MainFrame), 250_000_000));
        cpu.SampleType = new Core.Model.ValueType("cpu", "nanoseconds");
        cpu.PeriodType = null;
        var offCpu = CpuProfile(Valued(StackOf(LibcFrame), 5));
        offCpu.SampleType = new Core.Model.ValueType("off_cpu", "nanoseconds");
        offCpu.PeriodType = new Core.Model.ValueType("off_cpu", "nanoseconds");
        var exporter = Create();
        await exporter.ConsumeAsync(new ProfileBatch { ResourceProfiles = [ResourceOf(cpu, KeyValue.Of("process.executable.name", "db")), ResourceOf(offCpu)] }, CancellationToken.None);

        Assert.Equal(new Dictionary<string, double> { ["process=db,function=main"] = 0.25 }, Series(exporter));
    }

    [Fact]
    public async Task Functions_beyond_the_top_per_process_fold_into_other_heaviest_first()
    {
        var exporter = Create(new PrometheusExporterOptions { TopFunctionsPerProcess = 2 });
        var light = Native(App, 0x430000, new Line(new Function("light"), 1));
        var heavy = Native(App, 0x431000, new Line(new Function("heavy"), 1));
        var profile = CpuProfile(Timed(StackOf(light), 1, 1), Timed(StackOf(heavy), 9, 1), Timed(StackOf(MainFrame), 5, 1));
        await exporter.ConsumeAsync(new ProfileBatch { ResourceProfiles = [ResourceOf(profile, KeyValue.Of("process.executable.name", "app"))] }, CancellationToken.None);
        // Another process has slots of its own.
        await exporter.ConsumeAsync(new ProfileBatch { ResourceProfiles = [ResourceOf(CpuProfile(Timed(StackOf(light), 1, 1)), KeyValue.Of("process.executable.name", "other_app"))] }, CancellationToken.None);

        Assert.Equal(new Dictionary<string, double>
        {
            ["process=app,function=heavy"] = 0.09,
            ["process=app,function=main"] = 0.05,
            ["process=app,function=other"] = 0.01,
            ["process=other_app,function=light"] = 0.01,
        }, Series(exporter));
    }

    [Fact]
    public async Task A_hundred_thousand_distinct_functions_stay_within_max_series_and_no_cpu_time_is_lost_unseen()
    {
        var settings = Settings.For("prometheus", ComponentKind.Exporter);
        var exporter = new PrometheusExporter(settings, new PrometheusExporterOptions { MaxSeries = 1_000, TopFunctionsPerProcess = 50 });
        const int functions = 100_000, processes = 40, perBatch = 5_000;
        for (var start = 0; start < functions; start += perBatch)
        {
            var resources = new List<ResourceProfiles>();
            for (var p = 0; p < processes; p++)
            {
                var samples = new List<Sample>();
                for (var f = start + p; f < start + perBatch; f += processes)
                {
                    samples.Add(Timed(StackOf(Native(App, 0x500000 + (ulong)f, new Line(new Function($"f{f}"), 1))), 1, 1));
                }
                resources.Add(ResourceOf(CpuProfile([.. samples]), KeyValue.Of("process.executable.name", $"proc{p}")));
            }
            await exporter.ConsumeAsync(new ProfileBatch { ResourceProfiles = resources }, CancellationToken.None);
        }

        var series = Series(exporter);
        Assert.InRange(series.Count, 1, 1_000);
        Assert.Equal(series.Count, exporter.SeriesCount);
        var perProcess = series.Keys.GroupBy(k => k.Split(',')[0]).ToList();
        Assert.All(perProcess, g => Assert.InRange(g.Count(k => !k.EndsWith("function=other", StringComparison.Ordinal)), 0, 50));
        Assert.Contains(series.Keys, k => k.EndsWith("function=other", StringComparison.Ordinal));
        // 40 processes × (50 functions + other) = 2040 would not fit: what did not fit is dropped, and counted.
        var dropped = exporter.DroppedSeconds;
        Assert.True(dropped > 0);
        Assert.Equal(functions * 0.01, series.Values.Sum() + dropped, 6);
    }

    [Fact]
    public async Task Series_that_stop_growing_expire_and_free_their_slot()
    {
        var time = new ManualTimeProvider();
        var exporter = Create(new PrometheusExporterOptions { TopFunctionsPerProcess = 1, SeriesTtl = TimeSpan.FromMinutes(5) }, time);
        ProfileBatch Of(Location leaf) => new() { ResourceProfiles = [ResourceOf(CpuProfile(Timed(StackOf(leaf), 1, 1)), KeyValue.Of("process.executable.name", "app"))] };

        await exporter.ConsumeAsync(Of(MainFrame), CancellationToken.None);
        await exporter.ConsumeAsync(Of(LibcFrame), CancellationToken.None);
        Assert.Equal(new[] { "process=app,function=main", "process=app,function=other" }, Series(exporter).Keys.Order(StringComparer.Ordinal));

        time.Advance(TimeSpan.FromMinutes(4));
        await exporter.ConsumeAsync(Of(LibcFrame), CancellationToken.None); // "other" grows, main does not
        time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(new[] { "process=app,function=other" }, Series(exporter).Keys);

        // main's slot is free again: the next function without a series of its own takes it, the one after folds.
        await exporter.ConsumeAsync(Of(LibcFrame), CancellationToken.None);
        await exporter.ConsumeAsync(Of(KernelFrame), CancellationToken.None);
        var series = Series(exporter);
        Assert.Equal(new[] { "process=app,function=libc.so.6+0x7f0000001234", "process=app,function=other" }, series.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(0.01, series["process=app,function=libc.so.6+0x7f0000001234"]);
        Assert.Equal(0.03, series["process=app,function=other"]);
    }

    [Fact]
    public void Invalid_options_name_their_key()
    {
        static IEnumerable<string?> Keys(PrometheusExporterOptions options) => options.Validate().Select(e => e.Key);
        Assert.Equal(["labels::1"], Keys(new() { Labels = ["process", "nope"] }));
        Assert.Equal(["labels::1"], Keys(new() { Labels = ["function", "function"] }));
        Assert.Equal(["labels"], Keys(new() { Labels = [] }));
        Assert.Equal(["max_series"], Keys(new() { MaxSeries = 0 }));
        Assert.Equal(["top_functions_per_process"], Keys(new() { TopFunctionsPerProcess = 0 }));
        Assert.Equal(["series_ttl"], Keys(new() { SeriesTtl = TimeSpan.Zero }));
        Assert.Equal(["endpoint"], Keys(new() { Endpoint = "nowhere" }));
    }

    [Fact]
    public void The_defaults_are_valid_and_listen_on_localhost_9464()
    {
        var options = new PrometheusExporterOptions();
        Assert.Empty(options.Validate());
        Assert.Equal("localhost:9464", options.Endpoint);
        Assert.Equal(["process", "container_id", "function"], options.Labels);
    }
}
