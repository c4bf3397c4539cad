namespace Collector.Core.Model;

/// <summary>The library or agent that produced a set of profiles.</summary>
public sealed class InstrumentationScope
{
    public string Name { get; set; } = "";

    public string Version { get; set; } = "";

    public List<KeyValue> Attributes { get; init; } = [];

    public uint DroppedAttributesCount { get; set; }

    public InstrumentationScope Clone() => new()
    {
        Name = Name,
        Version = Version,
        Attributes = [.. Attributes],
        DroppedAttributesCount = DroppedAttributesCount,
    };
}
