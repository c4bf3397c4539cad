using Collector.Config.Errors;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Collector.Config.Yaml;

/// <summary>
/// Parses one source into a <see cref="ConfigNode"/> tree. It reads YamlDotNet's event stream rather than
/// loading a <c>YamlStream</c>: the representation model aborts the whole document on the first duplicate
/// key without saying where the mapping sits, while here a duplicate becomes one path-qualified error and
/// parsing carries on. Every event still carries its start mark, so every node keeps its line.
/// </summary>
internal sealed class YamlTreeReader
{
    private const string NullTag = "tag:yaml.org,2002:null";

    private readonly ConfigSource _source;
    private readonly int _sourceIndex;
    private readonly ConfigErrors _errors;
    private readonly Dictionary<string, ConfigNode> _anchors = new(StringComparer.Ordinal);

    private YamlTreeReader(ConfigSource source, int sourceIndex, ConfigErrors errors)
    {
        _source = source;
        _sourceIndex = sourceIndex;
        _errors = errors;
    }

    /// <summary>
    /// Returns the root mapping (an empty one for an empty source), or null when the source is not valid YAML
    /// or its top level is not a mapping; the reason is then in <paramref name="errors"/>.
    /// </summary>
    public static MappingNode? Read(ConfigSource source, int sourceIndex, ConfigErrors errors) =>
        new YamlTreeReader(source, sourceIndex, errors).ReadDocument();

    private MappingNode? ReadDocument()
    {
        var parser = new Parser(new StringReader(_source.Text));
        try
        {
            parser.Consume<StreamStart>();
            if (parser.Accept<StreamEnd>(out var end))
            {
                return new MappingNode(At(end.Start), []);
            }
            parser.Consume<DocumentStart>();
            var root = ReadNode(parser, "");
            parser.Consume<DocumentEnd>();
            if (parser.Accept<DocumentStart>(out var second))
            {
                _errors.AddSyntax(At(second.Start), "a config source must hold a single YAML document");
                return null;
            }
            switch (root)
            {
                case MappingNode mapping:
                    return mapping;
                case ScalarNode { IsNull: true }:
                    return new MappingNode(root.Location, []);
                default:
                    _errors.AddSyntax(root.Location, $"the top level of a config must be a mapping, got {root.Describe()}");
                    return null;
            }
        }
        catch (YamlException e)
        {
            _errors.AddSyntax(At(e.Start), $"invalid YAML: {e.Message}");
            return null;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this, with no position, on some malformed flow collections (an
            // unclosed '[' followed by more block lines). The last event it delivered is the best position left.
            var last = parser.Current?.Start ?? Mark.Empty;
            _errors.AddSyntax(At(last), "invalid YAML: cannot parse past this line (is a '[' or '{' left unclosed?)");
            return null;
        }
    }

    private ConfigNode ReadNode(IParser parser, string path)
    {
        if (parser.TryConsume<AnchorAlias>(out var alias))
        {
            return _anchors.TryGetValue(alias.Value.Value, out var anchored)
                ? anchored
                : throw new YamlException(alias.Start, alias.End, $"the alias *{alias.Value.Value} refers to no anchor defined before it");
        }

        var start = parser.Current as NodeEvent
            ?? throw new YamlException(parser.Current?.Start ?? Mark.Empty, parser.Current?.End ?? Mark.Empty, "expected a value");
        ConfigNode node = start switch
        {
            Scalar scalar => new ScalarNode(At(scalar.Start), scalar.Value, IsNull(scalar)),
            SequenceStart => ReadSequence(parser, path),
            MappingStart => ReadMapping(parser, path),
            _ => throw new YamlException(start.Start, start.End, "expected a value"),
        };
        if (start is Scalar)
        {
            parser.MoveNext();
        }
        if (!start.Anchor.IsEmpty)
        {
            _anchors[start.Anchor.Value] = node;
        }
        return node;
    }

    private SequenceNode ReadSequence(IParser parser, string path)
    {
        var start = parser.Consume<SequenceStart>();
        var items = new List<ConfigNode>();
        while (!parser.TryConsume<SequenceEnd>(out _))
        {
            items.Add(ReadNode(parser, ConfigPath.Combine(path, items.Count)));
        }
        return new SequenceNode(At(start.Start), items);
    }

    private MappingNode ReadMapping(IParser parser, string path)
    {
        var start = parser.Consume<MappingStart>();
        var entries = new List<MappingEntry>();
        var indexByKey = new Dictionary<string, int>(StringComparer.Ordinal);
        while (!parser.TryConsume<MappingEnd>(out _))
        {
            var keyEvent = parser.Current;
            if (ReadNode(parser, path) is not ScalarNode key)
            {
                throw new YamlException(keyEvent!.Start, keyEvent.End, "mapping keys must be plain values, not sequences or mappings");
            }
            var value = ReadNode(parser, ConfigPath.Combine(path, key.Value));
            var entry = new MappingEntry(key.Value, key.Location, value);
            if (indexByKey.TryGetValue(key.Value, out var earlier))
            {
                // Report the second occurrence and keep it, as a later source would win over an earlier one.
                _errors.Add(path, $"duplicate key \"{key.Value}\"", key.Location);
                entries[earlier] = entry;
                continue;
            }
            indexByKey.Add(key.Value, entries.Count);
            entries.Add(entry);
        }
        return new MappingNode(At(start.Start), entries);
    }

    /// <summary>YAML's null: an untagged plain <c>~</c>, <c>null</c> or nothing, or an explicit <c>!!null</c>.</summary>
    private static bool IsNull(Scalar scalar)
    {
        if (!scalar.Tag.IsEmpty && !scalar.Tag.IsNonSpecific)
        {
            return string.Equals(scalar.Tag.Value, NullTag, StringComparison.Ordinal);
        }
        return scalar.Style == ScalarStyle.Plain && scalar.Value is "" or "~" or "null" or "Null" or "NULL";
    }

    private ConfigLocation At(Mark mark) => new(_source.Name, _sourceIndex, (int)Math.Min(mark.Line, int.MaxValue));
}
