using System.Collections.Immutable;

namespace Collector.Core.Model;

/// <summary>What produced the profiles: usually one process (<c>process.pid</c>, <c>process.executable.*</c>, <c>container.id</c>).</summary>
public sealed class Resource
{
    public List<KeyValue> Attributes { get; init; } = [];

    public uint DroppedAttributesCount { get; set; }

    public List<EntityRef> EntityRefs { get; init; } = [];

    public Resource Clone() => new()
    {
        Attributes = [.. Attributes],
        DroppedAttributesCount = DroppedAttributesCount,
        EntityRefs = [.. EntityRefs],
    };
}

/// <summary>A reference from a resource to an entity (OTLP <c>EntityRef</c>).</summary>
public sealed record EntityRef(string SchemaUrl, string Type, ImmutableArray<string> IdKeys, ImmutableArray<string> DescriptionKeys)
{
    public bool Equals(EntityRef? other) =>
        other is not null && SchemaUrl == other.SchemaUrl && Type == other.Type &&
        Sequences.Equal(IdKeys, other.IdKeys) && Sequences.Equal(DescriptionKeys, other.DescriptionKeys);

    public override int GetHashCode() => HashCode.Combine(SchemaUrl, Type, Sequences.Hash(IdKeys), Sequences.Hash(DescriptionKeys));
}
