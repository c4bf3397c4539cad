using Collector.Core.Components;
using Collector.Core.Helpers;
using Collector.Core.Model;

namespace Collector.Processors.Resources;

/// <summary>
/// The <c>resource</c> processor: applies the configured actions, in order, to the attributes of every resource
/// in a batch, with the Collector's semantics (insert only where absent, update only where present, upsert
/// either way, delete removes; <c>from_attribute</c> copies another attribute of the same resource, and does
/// nothing where that one is absent).
/// </summary>
internal sealed class ResourceProcessor : ProcessorBase
{
    private readonly List<Step> _steps;

    public ResourceProcessor(ComponentCreateSettings settings, ResourceOptions options, IProfilesConsumer next)
        : base(settings, next)
    {
        ArgumentNullException.ThrowIfNull(options);
        _steps = options.Attributes.ConvertAll(a => new Step(a.Key, a.Action!.Value, a.Value is null ? null : AnyValue.String(a.Value), a.FromAttribute));
    }

    public override bool MutatesData => true;

    protected override void Process(ProfileBatch batch)
    {
        foreach (var resourceProfiles in batch.ResourceProfiles)
        {
            foreach (var step in _steps)
            {
                Apply(resourceProfiles, step);
            }
        }
    }

    private static void Apply(ResourceProfiles resourceProfiles, Step step)
    {
        var attributes = resourceProfiles.Resource?.Attributes;
        var index = attributes?.FindIndex(a => a.Key == step.Key) ?? -1;
        if (step.Kind == AttributeActionKind.Delete)
        {
            attributes?.RemoveAll(a => a.Key == step.Key);
            return;
        }
        var mayInsert = step.Kind is AttributeActionKind.Insert or AttributeActionKind.Upsert;
        var mayUpdate = step.Kind is AttributeActionKind.Update or AttributeActionKind.Upsert;
        if ((index < 0 && !mayInsert) || (index >= 0 && !mayUpdate) || !TryGetValue(attributes, step, out var value))
        {
            return;
        }
        if (index >= 0)
        {
            attributes![index] = attributes[index] with { Value = value };
            return;
        }
        // A resource absent on the wire becomes one when something is inserted into it.
        (resourceProfiles.Resource ??= new Core.Model.Resource()).Attributes.Add(new KeyValue(step.Key, value));
    }

    private static bool TryGetValue(List<KeyValue>? attributes, Step step, out AnyValue? value)
    {
        if (step.FromAttribute is null)
        {
            value = step.Literal;
            return true;
        }
        var source = attributes?.Find(a => a.Key == step.FromAttribute);
        value = source?.Value;
        return source is not null;
    }

    /// <summary>One validated action: a literal value or the key to copy from (exactly one of them unless deleting).</summary>
    private sealed record Step(string Key, AttributeActionKind Kind, AnyValue? Literal, string? FromAttribute);
}
