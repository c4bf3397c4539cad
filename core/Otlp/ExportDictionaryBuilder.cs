using System.Collections.Immutable;
using Collector.Core.Model;
using Google.Protobuf;
using Google.Protobuf.Collections;
using Wire = Collector.Core.Otlp.Proto.Profiles;
using WireCommon = Collector.Core.Otlp.Proto.Common;

namespace Collector.Core.Otlp;

/// <summary>
/// The dictionary of one export, filled as the export references entities. Every table starts with its zero
/// value, so values equal to it (and null references) get index 0; only referenced entities are added, so the
/// result has no orphans, and interning means no duplicates. Not shared between exports: each stands alone.
/// </summary>
internal sealed class ExportDictionaryBuilder
{
    private readonly Dictionary<string, int> _strings = new(StringComparer.Ordinal);
    private readonly InternTable<Mapping, Wire.Mapping> _mappings;
    private readonly InternTable<Location, Wire.Location> _locations;
    private readonly InternTable<Function, Wire.Function> _functions;
    private readonly InternTable<Link, Wire.Link> _links;
    private readonly InternTable<KeyValueAndUnit, Wire.KeyValueAndUnit> _attributes;
    private readonly InternTable<Stack, Wire.Stack> _stacks;

    public ExportDictionaryBuilder()
    {
        Dictionary.StringTable.Add("");
        _strings.Add("", 0);
        _mappings = new(Dictionary.MappingTable, new Wire.Mapping());
        _locations = new(Dictionary.LocationTable, new Wire.Location());
        _functions = new(Dictionary.FunctionTable, new Wire.Function());
        _links = new(Dictionary.LinkTable, ZeroValues.NewLink());
        _attributes = new(Dictionary.AttributeTable, new Wire.KeyValueAndUnit());
        _stacks = new(Dictionary.StackTable, new Wire.Stack());
    }

    public Wire.ProfilesDictionary Dictionary { get; } = new();

    public int String(string value)
    {
        if (!_strings.TryGetValue(value, out var index))
        {
            index = Dictionary.StringTable.Count;
            Dictionary.StringTable.Add(value);
            _strings.Add(value, index);
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
        indices.Capacity = attributes.Length;
        foreach (var attribute in attributes) indices.Add(Attribute(attribute));
    }

    public Wire.ValueType? ValueType(Model.ValueType? valueType) =>
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
