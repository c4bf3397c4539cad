using Collector.Core.Components;
using Collector.Core.Tests.Pipeline;

namespace Collector.Core.Tests.Components;

public class ComponentRegistryTests
{
    [Fact]
    public void Finds_factories_by_kind_type_and_alias()
    {
        var journal = new Journal();
        var registry = new ComponentRegistry([new FakeReceiverFactory(journal), new FakeExporterFactory(journal, aliases: ["sink_old"])]);

        Assert.IsType<FakeReceiverFactory>(registry.Find(ComponentKind.Receiver, "fake_receiver"));
        Assert.IsType<FakeExporterFactory>(registry.Find(ComponentKind.Exporter, "sink_old"));
        Assert.Null(registry.Find(ComponentKind.Exporter, "fake_receiver"));
        Assert.Equal(["fake_exporter"], registry.TypesOf(ComponentKind.Exporter));
    }

    [Fact]
    public void Two_factories_claiming_one_type_are_rejected()
    {
        var journal = new Journal();
        var error = Assert.Throws<ArgumentException>(() =>
            new ComponentRegistry([new FakeExporterFactory(journal), new FakeExporterFactory(journal)]));
        Assert.Contains("two exporter factories claim the type \"fake_exporter\"", error.Message, StringComparison.Ordinal);
    }
}
