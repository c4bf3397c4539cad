using Collector.Config.Errors;
using Collector.Config.Yaml;
using Collector.Core.Components;

namespace Collector.Config.Sections;

/// <summary>The top-level keys of a merged config, each entry null when the key is absent.</summary>
internal sealed class TopLevelSections
{
    public const string Service = "service";
    private const string Connectors = "connectors";

    private static readonly Dictionary<string, ComponentKind> KindBySection =
        Enum.GetValues<ComponentKind>().ToDictionary(k => k.SectionName(), StringComparer.Ordinal);

    private readonly Dictionary<ComponentKind, MappingEntry> _components = [];

    public MappingEntry? ServiceEntry { get; private set; }

    public MappingEntry? ComponentsOf(ComponentKind kind) => _components.GetValueOrDefault(kind);

    /// <summary>Sorts the root's keys into sections; connectors and unknown keys are reported.</summary>
    public static TopLevelSections Read(MappingNode root, ConfigErrors errors)
    {
        var sections = new TopLevelSections();
        foreach (var entry in root.Entries)
        {
            if (KindBySection.TryGetValue(entry.Key, out var kind))
            {
                sections._components[kind] = entry;
            }
            else if (string.Equals(entry.Key, Service, StringComparison.Ordinal))
            {
                sections.ServiceEntry = entry;
            }
            else if (string.Equals(entry.Key, Connectors, StringComparison.Ordinal))
            {
                // Every pipeline here carries profiles, so there is nothing for a connector to join.
                errors.Add(Connectors, "connectors are not supported", entry.KeyLocation);
            }
            else
            {
                errors.Add("", $"unknown key \"{entry.Key}\"", entry.KeyLocation);
            }
        }
        return sections;
    }
}
