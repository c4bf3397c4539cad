namespace Collector.Config.Yaml;

/// <summary>
/// One node of a parsed config, remembering the source and line it came from. The tree is immutable, so
/// merging and expansion build new nodes and a YAML alias can share its anchor's node.
/// </summary>
internal abstract class ConfigNode(ConfigLocation location)
{
    public ConfigLocation Location { get; } = location;

    /// <summary>How the node reads in a message: the quoted text of a scalar, else "a sequence" or "a mapping".</summary>
    public abstract string Describe();
}

internal sealed class ScalarNode(ConfigLocation location, string value, bool isNull) : ConfigNode(location)
{
    /// <summary>The scalar text exactly as written (after env expansion, once that has run).</summary>
    public string Value { get; } = value;

    /// <summary>A plain <c>~</c>, <c>null</c> or nothing at all, as in <c>rotation:</c>. A quoted "" is not null.</summary>
    public bool IsNull { get; } = isNull;

    /// <summary>
    /// Set when expanding this value already failed with an error: later stages skip it instead of
    /// reporting the unexpanded text a second time.
    /// </summary>
    public bool AlreadyReported { get; init; }

    public override string Describe() => IsNull ? "null" : $"\"{Value}\"";
}

internal sealed class SequenceNode(ConfigLocation location, IReadOnlyList<ConfigNode> items) : ConfigNode(location)
{
    public IReadOnlyList<ConfigNode> Items { get; } = items;

    public override string Describe() => "a sequence";
}

internal sealed class MappingNode(ConfigLocation location, IReadOnlyList<MappingEntry> entries) : ConfigNode(location)
{
    public IReadOnlyList<MappingEntry> Entries { get; } = entries;

    public MappingEntry? Find(string key)
    {
        foreach (var entry in Entries)
        {
            if (string.Equals(entry.Key, key, StringComparison.Ordinal))
            {
                return entry;
            }
        }
        return null;
    }

    public override string Describe() => "a mapping";
}

/// <summary>
/// A key and its value. Errors about a value point at <see cref="KeyLocation"/>: the key's line is the one a
/// reader looks for, even when a block value starts on the next line.
/// </summary>
internal sealed record MappingEntry(string Key, ConfigLocation KeyLocation, ConfigNode Value);
