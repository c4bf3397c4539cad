using System.Collections.Immutable;
using System.Runtime.InteropServices;
using Collector.Core.Model;
using Google.Protobuf;
using Google.Protobuf.Collections;
using Wire = Collector.Otlp.Proto.Profiles;
using WireCommon = Collector.Otlp.Proto.Common;

namespace Collector.Otlp;

/// <summary>
/// The dictionary of one export, filled as the export references entities. Every table starts with its zero
/// value, so values equal to it (and null references) get index 0; only referenced entities are added, so the
/// result has no orphans, and interning means no duplicates. Each export gets a fresh dictionary and stands alone.
/// <para>Get one with <see cref="Rent"/> and give it back with <see cref="Return"/>: one builder per thread is
/// kept between exports, because its lookup maps reach the large object heap at realistic sizes and allocating
/// them anew for every export made every export trigger a full garbage collection. The maps are cleared when
/// an export ends, so no entity or string is carried over; a builder that grew past
/// <see cref="MaxRetainedEntries"/> is dropped instead of kept.</para>
/// </summary>
internal sealed class ExportDictionaryBuilder
{
    public const int MaxRetainedEntries = 200_000;

    [ThreadStatic]
    private static ExportDictionaryBuilder? t_spare;

    private readonly Dictionary<string, int> _strings = new(StringComparer.Ordinal);
    private readonly InternTable<Mapping, Wire.Mapping> _mappings = new();
    private readonly InternTable<Location, Wire.Location> _locations = new();
    private readonly InternTable<Function, Wire.Function> _functions = new(lookUpByReferenceFirst: true);
    private readonly InternTable<Link, Wire.Link> _links = new();
    private readonly InternTable<KeyValueAndUnit, Wire.KeyValueAndUnit> _attributes = new(lookUpByReferenceFirst: true);
    private readonly InternTable<Stack, Wire.Stack> _stacks = new();

    /// <summary>
    /// Sample attribute lists already resolved, by the identity of their immutable backing array: the samples of
    /// one thread share one list, so most samples cost one reference lookup instead of one per attribute.
    /// </summary>
    private readonly Dictionary<KeyValueAndUnit[], int[]> _sampleAttributeLists = new(ReferenceEqualityComparer.Instance);

    private Wire.ProfilesDictionary? _dictionary;

    private ExportDictionaryBuilder()
    {
    }

    /// <summary>The dictionary being filled; a new instance for every export.</summary>
    public Wire.ProfilesDictionary Dictionary => _dictionary ?? throw new InvalidOperationException("The builder is not serving an export.");

    /// <summary>A builder holding a fresh dictionary with every table's zero value at index 0.</summary>
    public static ExportDictionaryBuilder Rent()
    {
        var builder = t_spare ?? new ExportDictionaryBuilder();
        t_spare = null;
        builder.Start();
        return builder;
    }

    /// <summary>Ends the export: the builder forgets it and may serve the next export on this thread.</summary>
    public void Return()
    {
        var retained = _strings.Count + _mappings.Count + _locations.Count + _functions.Count + _links.Count +
            _attributes.Count + _stacks.Count + _sampleAttributeLists.Count;
        _dictionary = null;
        _strings.Clear();
        _mappings.Clear();
        _locations.Clear();
        _functions.Clear();
        _links.Clear();
        _attributes.Clear();
        _stacks.Clear();
        _sampleAttributeLists.Clear();
        if (retained <= MaxRetainedEntries) t_spare = this;
    }

    private void Start()
    {
        _dictionary = new Wire.ProfilesDictionary();
        Dictionary.StringTable.Add("");
        _strings.Add("", 0);
        _mappings.Start(Dictionary.MappingTable, new Wire.Mapping());
        _locations.Start(Dictionary.LocationTable, new Wire.Location());
        _functions.Start(Dictionary.FunctionTable, new Wire.Function());
        _links.Start(Dictionary.LinkTable, ZeroValues.NewLink());
        _attributes.Start(Dictionary.AttributeTable, new Wire.KeyValueAndUnit());
        _stacks.Start(Dictionary.StackTable, new Wire.Stack());
    }

    public int String(string value)
    {
        ref var index = ref CollectionsMarshal.GetValueRefOrAddDefault(_strings, value, out var exists);
        if (!exists)
        {
            index = Dictionary.StringTable.Count;
            Dictionary.StringTable.Add(value);
        }
        return index;
    }

    public int Stack(Stack stack)
    {
        if (_stacks.TryGet(stack, out var index)) return index;
        var wire = new Wire.Stack();
        wire.LocationIndices.Capacity = stack.Locations.Length;
        foreach (var location in stack.Locations) wire.LocationIndices.Add(Location(location));
        return _stacks.Add(stack, wire);
    }

    public int Location(Location location)
    {
        if (_locations.TryGet(location, out var index)) return index;
        var wire = new Wire.Location { MappingIndex = Mapping(location.Mapping), Address = location.Address };
        wire.Lines.Capacity = location.Lines.Length;
        foreach (var line in location.Lines)
        {
            wire.Lines.Add(new Wire.Line { FunctionIndex = Function(line.Function), Line_ = line.LineNumber, Column = line.Column });
        }
        Attributes(wire.AttributeIndices, location.Attributes);
        return _locations.Add(location, wire);
    }

    public int Mapping(Mapping? mapping)
    {
        if (mapping is null) return 0;
        if (_mappings.TryGet(mapping, out var index)) return index;
        var wire = new Wire.Mapping
        {
            MemoryStart = mapping.MemoryStart,
            MemoryLimit = mapping.MemoryLimit,
            FileOffset = mapping.FileOffset,
            FilenameStrindex = String(mapping.Filename),
        };
        Attributes(wire.AttributeIndices, mapping.Attributes);
        return _mappings.Add(mapping, wire);
    }

    public int Function(Function? function)
    {
        if (function is null) return 0;
        if (_functions.TryGet(function, out var index)) return index;
        var wire = new Wire.Function
        {
            NameStrindex = String(function.Name),
            SystemNameStrindex = String(function.SystemName),
            FilenameStrindex = String(function.Filename),
            StartLine = function.StartLine,
        };
        return _functions.Add(function, wire);
    }

    public int Link(Link? link)
    {
        // Empty ids mean "no link" as much as zero ids do; without this they would get an entry of their own.
        if (link is null || ZeroValues.IsZero(link)) return 0;
        if (_links.TryGet(link, out var index)) return index;
        var wire = new Wire.Link { TraceId = Bytes(link.TraceId), SpanId = Bytes(link.SpanId) };
        return _links.Add(link, wire);
    }

    public int Attribute(KeyValueAndUnit attribute)
    {
        if (_attributes.TryGet(attribute, out var index)) return index;
        var wire = new Wire.KeyValueAndUnit
        {
            KeyStrindex = String(attribute.Key),
            Value = attribute.Value is null ? null : AnyValue(attribute.Value),
            UnitStrindex = String(attribute.Unit),
        };
        return _attributes.Add(attribute, wire);
    }

    public void Attributes(RepeatedField<int> indices, ImmutableArray<KeyValueAndUnit> attributes)
    {
        if (attributes.IsEmpty) return;
        // An exact capacity first: adding to an empty RepeatedField reserves eight slots.
        indices.Capacity = attributes.Length;
        foreach (var attribute in attributes) indices.Add(Attribute(attribute));
    }

    /// <summary>Like <see cref="Attributes"/>, for the one list that repeats per sample rather than per entity.</summary>
    public void SampleAttributes(RepeatedField<int> indices, ImmutableArray<KeyValueAndUnit> attributes)
    {
        if (attributes.IsEmpty) return;
        var list = ImmutableCollectionsMarshal.AsArray(attributes)!;
        if (!_sampleAttributeLists.TryGetValue(list, out var resolved))
        {
            resolved = new int[list.Length];
            for (var i = 0; i < list.Length; i++) resolved[i] = Attribute(list[i]);
            _sampleAttributeLists.Add(list, resolved);
        }
        indices.Capacity = resolved.Length;
        indices.AddRange(resolved);
    }

    public Wire.ValueType? ValueType(Core.Model.ValueType? valueType) =>
        valueType is null ? null : new Wire.ValueType { TypeStrindex = String(valueType.Type), UnitStrindex = String(valueType.Unit) };

    /// <summary>Resource and scope attributes are not interned, but may still refer to the string table.</summary>
    public WireCommon.KeyValue KeyValue(KeyValue keyValue)
    {
        var wire = new WireCommon.KeyValue { Value = keyValue.Value is null ? null : AnyValue(keyValue.Value) };
        if (keyValue.KeyByReference) wire.KeyStrindex = String(keyValue.Key);
        else wire.Key = keyValue.Key;
        return wire;
    }

    public WireCommon.AnyValue AnyValue(AnyValue value)
    {
        var wire = new WireCommon.AnyValue();
        switch (value.Kind)
        {
            case AnyValueKind.String when value.StringByReference: wire.StringValueStrindex = String(value.StringValue); break;
            case AnyValueKind.String: wire.StringValue = value.StringValue; break;
            case AnyValueKind.Bool: wire.BoolValue = value.BoolValue; break;
            case AnyValueKind.Int: wire.IntValue = value.IntValue; break;
            case AnyValueKind.Double: wire.DoubleValue = value.DoubleValue; break;
            case AnyValueKind.Bytes: wire.BytesValue = Bytes(value.BytesValue); break;
            case AnyValueKind.Array:
                var array = new WireCommon.ArrayValue();
                foreach (var item in value.ArrayValue) array.Values.Add(AnyValue(item));
                wire.ArrayValue = array;
                break;
            case AnyValueKind.KeyValueList:
                var list = new WireCommon.KeyValueList();
                foreach (var item in value.KeyValueListValue) list.Values.Add(KeyValue(item));
                wire.KvlistValue = list;
                break;
        }
        return wire;
    }

    public static ByteString Bytes(ImmutableArray<byte> bytes) => bytes.IsEmpty ? ByteString.Empty : ByteString.CopyFrom(bytes.AsSpan());
}
