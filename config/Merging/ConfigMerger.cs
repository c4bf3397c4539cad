using Collector.Config.Yaml;

namespace Collector.Config.Merging;

/// <summary>
/// Merges config sources in the order given, as the Collector does for a repeated <c>--config</c>: mappings
/// merge key by key, anything else (scalars, sequences, null) is replaced by the later source. Nodes keep
/// the location of the source that supplied them, so an error names the file the bad value is in.
/// </summary>
internal static class ConfigMerger
{
    public static MappingNode Merge(IReadOnlyList<MappingNode> roots)
    {
        if (roots.Count == 0)
        {
            throw new ArgumentException("at least one root is needed", nameof(roots));
        }
        var merged = roots[0];
        for (var i = 1; i < roots.Count; i++)
        {
            merged = MergeMappings(merged, roots[i]);
        }
        return merged;
    }

    /// <summary>
    /// Keys keep the order in which they first appear. A mapping merged with a mapping keeps the location where
    /// it was introduced (that is where the component or section was declared); a replaced value takes the
    /// later key's location along with the later value.
    /// </summary>
    private static MappingNode MergeMappings(MappingNode earlier, MappingNode later)
    {
        var entries = new List<MappingEntry>(earlier.Entries);
        foreach (var entry in later.Entries)
        {
            var index = entries.FindIndex(e => string.Equals(e.Key, entry.Key, StringComparison.Ordinal));
            if (index < 0)
            {
                entries.Add(entry);
            }
            else if (entries[index].Value is MappingNode before && entry.Value is MappingNode after)
            {
                entries[index] = entries[index] with { Value = MergeMappings(before, after) };
            }
            else
            {
                entries[index] = entry;
            }
        }
        return new MappingNode(earlier.Location, entries);
    }
}
