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
    public (List<ComponentId> Ids, int Written) Read(ComponentKind kind, MappingEntry listEntry, string ownerPath, string listPath)
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
                    ReadItem(kind, sequence.Items[i], ownerPath, ConfigPath.Combine(listPath, i), ids);
                }
                return (ids, sequence.Items.Count);
            case var other:
                errors.Add(listPath, $"expected a sequence of {noun} ids, got {other.Describe()}", listEntry.KeyLocation);
                return (ids, 0);
        }
    }

    private void ReadItem(ComponentKind kind, ConfigNode item, string ownerPath, string itemPath, List<ComponentId> ids)
    {
        var noun = kind.Noun();
        if (item is ScalarNode { AlreadyReported: true })
        {
            return;
        }
        if (item is not ScalarNode { IsNull: false } scalar)
        {
            errors.Add(itemPath, $"expected a {noun} id, got {item.Describe()}", item.Location);
            return;
        }
        if (!ComponentId.TryParse(scalar.Value, out var parsed, out var idError))
        {
            errors.Add(ownerPath, idError, item.Location);
            return;
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
        }
    }
}
