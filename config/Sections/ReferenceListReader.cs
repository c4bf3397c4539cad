using Collector.Config.Errors;
using Collector.Config.Yaml;
using Collector.Core.Components;

namespace Collector.Config.Sections;

/// <summary>
/// Reads a list of component ids that the service refers to (a pipeline's receivers, processors or
/// exporters, or <c>service::extensions</c>): each must parse, be declared in its section, and appear once.
/// </summary>
internal sealed class ReferenceListReader(IReadOnlyDictionary<ComponentKind, ComponentSection> components, ConfigErrors errors)
{
    /// <summary>
    /// Returns the ids that passed every check, in order, and how many items the list held, valid or not
    /// ("at least one receiver" is about what the user wrote, not about what survived).
    /// </summary>
    /// <param name="ownerPath">Where reference errors are reported: the pipeline, or <c>service::extensions</c>.</param>
    /// <param name="listPath">The list's own path, for errors about its shape.</param>
    /// <param name="locations">When given, receives the line of each id returned, in the same order.</param>
    public (List<ComponentId> Ids, int Written) Read(ComponentKind kind, MappingEntry listEntry, string ownerPath, string listPath, List<ConfigLocation>? locations = null)
    {
        var ids = new List<ComponentId>();
        var noun = kind.Noun();
        switch (listEntry.Value)
        {
            case ScalarNode { IsNull: true } or ScalarNode { AlreadyReported: true }:
                return (ids, 0);
            case SequenceNode sequence:
                for (var i = 0; i < sequence.Items.Count; i++)
                {
                    if (ReadItem(kind, sequence.Items[i], ownerPath, ConfigPath.Combine(listPath, i), ids)) locations?.Add(sequence.Items[i].Location);
                }
                return (ids, sequence.Items.Count);
            case var other:
                errors.Add(listPath, $"expected a sequence of {noun} ids, got {other.Describe()}", listEntry.KeyLocation);
                return (ids, 0);
        }
    }

    /// <summary>True when the item's id was added to <paramref name="ids"/>.</summary>
    private bool ReadItem(ComponentKind kind, ConfigNode item, string ownerPath, string itemPath, List<ComponentId> ids)
    {
        var noun = kind.Noun();
        if (item is ScalarNode { AlreadyReported: true })
        {
            return false;
        }
        if (item is not ScalarNode { IsNull: false } scalar)
        {
            errors.Add(itemPath, $"expected a {noun} id, got {item.Describe()}", item.Location);
            return false;
        }
        if (!ComponentId.TryParse(scalar.Value, out var parsed, out var idError))
        {
            errors.Add(ownerPath, idError, item.Location);
            return false;
        }
        var id = parsed.Value;
        if (!components[kind].IsDeclared(id))
        {
            errors.Add(ownerPath, $"references {noun} \"{id}\" which is not configured", item.Location);
        }
        else if (ids.Contains(id))
        {
            errors.Add(ownerPath, $"references {noun} \"{id}\" more than once", item.Location);
        }
        else
        {
            ids.Add(id);
            return true;
        }
        return false;
    }
}
