using Collector.Core.Model;
using Collector.Processors.Resources;
using static Collector.Processors.Tests.SampleBatches;

namespace Collector.Processors.Tests.Resources;

public class ResourceProcessorTests
{
    private static readonly KeyValue[] Api =
    [
        KeyValue.Of(SemanticConventions.ProcessPid, 42),
        KeyValue.Of(SemanticConventions.ProcessExecutableName, "api"),
        KeyValue.Of("env", "staging"),
    ];

    private static readonly KeyValue[] Db = [KeyValue.Of(SemanticConventions.ProcessPid, 7), KeyValue.Of(SemanticConventions.ProcessExecutableName, "db")];

    [Fact]
    public async Task Insert_adds_only_where_absent()
    {
        var batch = await Run(Action("env", AttributeActionKind.Insert, value: "prod"));

        Assert.Equal(["process.pid=42", "process.executable.name=api", "env=staging"], Attributes(batch.ResourceProfiles[0]));
        Assert.Equal(["process.pid=7", "process.executable.name=db", "env=prod"], Attributes(batch.ResourceProfiles[1]));
    }

    [Fact]
    public async Task Update_changes_only_where_present_and_keeps_the_position()
    {
        var batch = await Run(Action("env", AttributeActionKind.Update, value: "prod"));

        Assert.Equal(["process.pid=42", "process.executable.name=api", "env=prod"], Attributes(batch.ResourceProfiles[0]));
        Assert.Equal(["process.pid=7", "process.executable.name=db"], Attributes(batch.ResourceProfiles[1]));
    }

    [Fact]
    public async Task Upsert_sets_the_value_either_way()
    {
        var batch = await Run(Action("env", AttributeActionKind.Upsert, value: "prod"));

        Assert.Equal(["process.pid=42", "process.executable.name=api", "env=prod"], Attributes(batch.ResourceProfiles[0]));
        Assert.Equal(["process.pid=7", "process.executable.name=db", "env=prod"], Attributes(batch.ResourceProfiles[1]));
    }

    [Fact]
    public async Task Delete_removes_the_key_where_present()
    {
        var batch = await Run(Action(SemanticConventions.ProcessPid, AttributeActionKind.Delete));

        Assert.Equal(["process.executable.name=api", "env=staging"], Attributes(batch.ResourceProfiles[0]));
        Assert.Equal(["process.executable.name=db"], Attributes(batch.ResourceProfiles[1]));
    }

    [Fact]
    public async Task From_attribute_copies_the_typed_value_and_does_nothing_where_the_source_is_absent()
    {
        var batch = await Run(
            Action("service.instance.id", AttributeActionKind.Upsert, from: SemanticConventions.ProcessPid),
            Action("deployment", AttributeActionKind.Insert, from: "env"));

        Assert.Equal(AnyValue.Int(42), batch.ResourceProfiles[0].Resource!.Attributes.Single(a => a.Key == "service.instance.id").Value);
        Assert.Equal(["process.pid=42", "process.executable.name=api", "env=staging", "service.instance.id=42", "deployment=staging"], Attributes(batch.ResourceProfiles[0]));
        Assert.Equal(["process.pid=7", "process.executable.name=db", "service.instance.id=7"], Attributes(batch.ResourceProfiles[1]));
    }

    [Fact]
    public async Task Actions_apply_in_order()
    {
        var batch = await Run(
            Action("service.name", AttributeActionKind.Upsert, from: SemanticConventions.ProcessExecutableName),
            Action(SemanticConventions.ProcessExecutableName, AttributeActionKind.Delete),
            Action("service.name", AttributeActionKind.Insert, value: "ignored, already there"));

        Assert.Equal(["process.pid=42", "env=staging", "service.name=api"], Attributes(batch.ResourceProfiles[0]));
        Assert.Equal(["process.pid=7", "service.name=db"], Attributes(batch.ResourceProfiles[1]));
    }

    [Fact]
    public async Task A_resource_absent_on_the_wire_is_created_for_an_insert_and_left_absent_otherwise()
    {
        var inserted = await Run([Action("env", AttributeActionKind.Insert, value: "prod")], WithoutResource());
        var deleted = await Run([Action("env", AttributeActionKind.Delete)], WithoutResource());

        Assert.Equal(["env=prod"], Attributes(inserted.ResourceProfiles[0]));
        Assert.Null(deleted.ResourceProfiles[0].Resource);
    }

    [Fact]
    public async Task Samples_and_control_data_pass_through()
    {
        var input = Of(Resource(Api, Stack("work", "main")));
        input.ProcessEvents.Add(new ProcessEvent(ProcessEventKind.Exit, 42, 0, 100, "api"));
        input.WatermarkKtimeNanos = 200;
        var next = new CapturingConsumer();
        var processor = new ResourceProcessor(Settings("resource"), Options(Action("env", AttributeActionKind.Delete)), next);

        await processor.ConsumeAsync(input, default);

        var output = Assert.Single(next.Batches);
        Assert.Equal(["work"], Leaves(output));
        Assert.Single(output.ProcessEvents);
        Assert.Equal(200UL, output.WatermarkKtimeNanos);
    }

    private static ResourceProfiles WithoutResource()
    {
        var resource = Resource([], Stack("work"));
        resource.Resource = null;
        return resource;
    }

    private static AttributeAction Action(string key, AttributeActionKind kind, string? value = null, string? from = null) =>
        new() { Key = key, Action = kind, Value = value, FromAttribute = from };

    private static ResourceOptions Options(params AttributeAction[] actions) => new() { Attributes = [.. actions] };

    private static Task<ProfileBatch> Run(params AttributeAction[] actions) =>
        Run(actions, Resource(Api, Stack("work")), Resource(Db, Stack("query")));

    private static async Task<ProfileBatch> Run(AttributeAction[] actions, params ResourceProfiles[] resources)
    {
        var options = Options(actions);
        Assert.Empty(options.Validate());
        var next = new CapturingConsumer();
        var processor = new ResourceProcessor(Settings("resource"), options, next);
        await processor.ConsumeAsync(Of(resources), default);
        return Assert.Single(next.Batches);
    }
}
