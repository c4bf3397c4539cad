using Collector.Core.Components;
using Collector.Core.Model;
using Collector.Core.Telemetry;
using Collector.Processors.Filter;
using Collector.Telemetry;
using static Collector.Processors.Tests.SampleBatches;

namespace Collector.Processors.Tests.Filter;

public sealed class FilterProcessorTests : IDisposable
{
    private const string ApiContainer = "3f2b1c9e8d7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c";
    private readonly CollectorTelemetry _telemetry = new(TelemetryLevel.Normal);

    /// <summary>Three processes, five samples: api (checkout, gc), db (scan, sort), nginx (write).</summary>
    private static ProfileBatch Shop() => Of(
        Process(4242, "Shop.Api", "/app/Shop.Api", ApiContainer, Stack("Discount.Apply", "Checkout.PlaceOrder", "main"), Stack("gc_mark", "gc_collect")),
        Process(1187, "postgres", "/usr/lib/postgresql/15/bin/postgres", "9e8d7c", Stack("ExecScan", "PostgresMain"), Stack("pg_qsort", "ExecSort", "PostgresMain")),
        Process(873, "nginx", "/usr/sbin/nginx", "1a2b3c", Stack("copy_user", "ngx_write")));

    [Fact]
    public async Task Include_by_process_name_keeps_only_those_processes()
    {
        var output = await Run(new FilterOptions { Include = new SampleMatchOptions { ProcessNames = ["^postgres$", "^nginx$"] } });

        Assert.Equal(["ExecScan", "pg_qsort", "copy_user"], Leaves(output));
        Assert.Equal(2, output.ResourceProfiles.Count);
    }

    [Fact]
    public async Task Exclude_by_executable_path_or_container_id()
    {
        var byPath = await Run(new FilterOptions { Exclude = new SampleMatchOptions { ExecutablePaths = ["^/usr/"] } });
        var byContainer = await Run(new FilterOptions { Exclude = new SampleMatchOptions { ContainerIds = ["^3f2b1c9e8d7a"] } });

        Assert.Equal(["Discount.Apply", "gc_mark"], Leaves(byPath));
        Assert.Equal(["ExecScan", "pg_qsort", "copy_user"], Leaves(byContainer));
    }

    [Fact]
    public async Task Resource_attributes_match_the_key_exactly_and_the_value_text_by_pattern()
    {
        var byPid = await Run(new FilterOptions { Include = new SampleMatchOptions { ResourceAttributes = [new() { Key = "process.pid", Value = "^1187$" }] } });
        var byPresence = await Run(new FilterOptions { Exclude = new SampleMatchOptions { ResourceAttributes = [new() { Key = "process.pid" }] } });

        Assert.Equal(["ExecScan", "pg_qsort"], Leaves(byPid));
        Assert.Empty(byPresence.ResourceProfiles);
    }

    [Fact]
    public async Task Function_names_match_any_frame_of_the_stack_not_only_the_leaf()
    {
        var output = await Run(new FilterOptions { Include = new SampleMatchOptions { FunctionNames = ["^PostgresMain$", "PlaceOrder"] } });

        Assert.Equal(["Discount.Apply", "ExecScan", "pg_qsort"], Leaves(output));
    }

    [Fact]
    public async Task Inlined_functions_and_system_names_count_as_frames()
    {
        var inlined = new Location(null, 0x10, [new Line(new Function("inlined_helper")), new Line(new Function("", SystemName: "_Z5outerv"))]);
        var input = Of(Process(1, "app", "/app", "c", new Stack([inlined]), Stack("other")));
        var byInlined = await Run(new FilterOptions { Include = new SampleMatchOptions { FunctionNames = ["^inlined_helper$"] } }, input);
        var bySystemName = await Run(new FilterOptions { Include = new SampleMatchOptions { FunctionNames = ["^_Z5outerv$"] } }, Of(Process(1, "app", "/app", "c", new Stack([inlined]), Stack("other"))));

        Assert.Single(Samples(byInlined));
        Assert.Single(Samples(bySystemName));
    }

    [Fact]
    public async Task Lists_in_one_block_combine_with_and_and_include_with_exclude()
    {
        var options = new FilterOptions
        {
            Include = new SampleMatchOptions { ProcessNames = ["Shop", "postgres"], FunctionNames = ["Main$", "main$"] },
            Exclude = new SampleMatchOptions { FunctionNames = ["^pg_qsort$"] },
        };

        var output = await Run(options);

        Assert.Equal(["Discount.Apply", "ExecScan"], Leaves(output));
    }

    [Fact]
    public async Task Empty_profiles_scopes_and_resources_are_removed_and_control_data_still_passes_when_everything_is_dropped()
    {
        var input = Shop();
        input.ProcessEvents.Add(new ProcessEvent(ProcessEventKind.Exit, 873, 1, 100, "nginx"));
        input.WatermarkKtimeNanos = 500;
        var next = new CapturingConsumer();
        var processor = new FilterProcessor(Settings("filter"), new FilterOptions { Include = new SampleMatchOptions { ProcessNames = ["^none$"] } }, next);

        await processor.ConsumeAsync(input, default);

        var output = Assert.Single(next.Batches);
        Assert.Empty(output.ResourceProfiles);
        Assert.Single(output.ProcessEvents);
        Assert.Equal(500UL, output.WatermarkKtimeNanos);
    }

    [Fact]
    public async Task A_batch_left_with_nothing_at_all_is_not_forwarded()
    {
        var next = new CapturingConsumer();
        var processor = new FilterProcessor(Settings("filter"), new FilterOptions { Exclude = new SampleMatchOptions { ProcessNames = [""] } }, next);

        await processor.ConsumeAsync(Shop(), default);

        Assert.Empty(next.Batches);
    }

    [Fact]
    public async Task Dropped_samples_are_counted_in_the_metric_and_the_shutdown_line()
    {
        using var logs = new CapturingLoggerFactory();
        var settings = Settings("filter", logs, _telemetry.ForComponent(ComponentId.Of("filter"), ComponentKind.Processor));
        var processor = new FilterProcessor(settings, new FilterOptions { Exclude = new SampleMatchOptions { ProcessNames = ["^Shop.Api$"] } }, new CapturingConsumer());

        await processor.ConsumeAsync(Shop(), default);
        await processor.ConsumeAsync(Shop(), default);
        await processor.ShutdownAsync(default);

        var family = _telemetry.Collect().Single(f => f.Name == FilterMetrics.DroppedSamples.PrometheusName);
        Assert.Equal(4, Assert.Single(family.Series, s => s.Labels.Any(l => l.Name == "processor" && l.Value == "filter")).Value);
        Assert.Contains("Stopped: dropped 4 of 10 samples, kept 6", logs.Entries.Select(e => e.Message));
    }

    public void Dispose() => _telemetry.Dispose();

    private static Task<ProfileBatch> Run(FilterOptions options) => Run(options, Shop());

    private static async Task<ProfileBatch> Run(FilterOptions options, ProfileBatch input)
    {
        Assert.Empty(options.Validate());
        var next = new CapturingConsumer();
        var processor = new FilterProcessor(Settings("filter"), options, next);
        await processor.ConsumeAsync(input, default);
        return next.Batches.SingleOrDefault() ?? new ProfileBatch();
    }
}
