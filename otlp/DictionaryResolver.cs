using System.Buffers;
using System.Collections.Immutable;
using System.Runtime.InteropServices;
using Collector.Core.Model;
using Google.Protobuf;
using Google.Protobuf.Collections;
using Wire = Collector.Otlp.Proto.Profiles;
using WireCommon = Collector.Otlp.Proto.Common;

namespace Collector.Otlp;

/// <summary>
/// Resolves the indices of one export against its dictionary, building each model entity once per table index
/// so the model shares one instance per entry. Entries are resolved on first use; an index inside an entry
/// that is out of range is reported with the entry's dictionary path. An absent or empty table acts as a table
/// holding only its zero value. Dispose it when the export is decoded: its caches are rented.
/// </summary>
internal sealed class DictionaryResolver : IDisposable
{
    private static readonly KeyValueAndUnit ZeroAttribute = new("", null);
    private static readonly Location ZeroLocation = new(null, 0);

    private readonly Wire.ProfilesDictionary _dictionary;
    private readonly Slots<Mapping?> _mappings;
    private readonly Slots<Location> _locations;
    private readonly Slots<Function?> _functions;
    private readonly Slots<Link?> _links;
    private readonly Slots<KeyValueAndUnit> _attributes;
    private readonly Slots<Stack> _stacks;

    public DictionaryResolver(Wire.ProfilesDictionary? dictionary)
    {
        _dictionary = dictionary ?? new Wire.ProfilesDictionary();
        _mappings = new(_dictionary.MappingTable.Count);
        _locations = new(_dictionary.LocationTable.Count);
        _functions = new(_dictionary.FunctionTable.Count);
        _links = new(_dictionary.LinkTable.Count);
        _attributes = new(_dictionary.AttributeTable.Count);
        _stacks = new(_dictionary.StackTable.Count);
    }

    public OtlpFormatException OutOfRange(string path, int index, DictionaryTable table) =>
        new(DictionaryTables.OutOfRange(path, index, table, _dictionary.Count(table)));

    public bool TryStack(int index, out Stack stack)
    {
        stack = Stack.Empty;
        if ((uint)index >= (uint)_stacks.Count) return false;
        ref var slot = ref _stacks[index];
        if (!slot.Done)
        {
            slot.Value = _dictionary.StackTable.Count == 0 ? Stack.Empty : ResolveStack(index);
            slot.Done = true;
        }
        stack = slot.Value;
        return true;
    }

    public bool TryLink(int index, out Link? link)
    {
        link = null;
        if ((uint)index >= (uint)_links.Count) return false;
        ref var slot = ref _links[index];
        if (!slot.Done)
        {
            slot.Value = _dictionary.LinkTable.Count == 0 || ZeroValues.IsZero(_dictionary.LinkTable[index])
                ? null
                : new Link(ToImmutable(_dictionary.LinkTable[index].TraceId), ToImmutable(_dictionary.LinkTable[index].SpanId));
            slot.Done = true;
        }
        link = slot.Value;
        return true;
    }

    public bool TryAttribute(int index, out KeyValueAndUnit attribute)
    {
        attribute = ZeroAttribute;
        if ((uint)index >= (uint)_attributes.Count) return false;
        ref var slot = ref _attributes[index];
        if (!slot.Done)
        {
            slot.Value = _dictionary.AttributeTable.Count == 0 ? ZeroAttribute : ResolveAttribute(index);
            slot.Done = true;
        }
        attribute = slot.Value;
        return true;
    }

    /// <summary>Resolves an attribute index list; on failure <paramref name="failedAt"/> is the position of the bad index.</summary>
    public bool TryAttributes(RepeatedField<int> indices, out ImmutableArray<KeyValueAndUnit> attributes, out int failedAt)
    {
        attributes = [];
        failedAt = -1;
        if (indices.Count == 0) return true;
        var resolved = new KeyValueAndUnit[indices.Count];
        for (var i = 0; i < resolved.Length; i++)
        {
            if (!TryAttribute(indices[i], out resolved[i]))
            {
                failedAt = i;
                return false;
            }
        }
        attributes = ImmutableCollectionsMarshal.AsImmutableArray(resolved);
        return true;
    }

    /// <summary>Resolves an attribute index list, naming <c>{ownerPath}.attributeIndices[i]</c> when an index is out of range.</summary>
    public ImmutableArray<KeyValueAndUnit> Attributes(RepeatedField<int> indices, string ownerPath)
    {
        if (!TryAttributes(indices, out var attributes, out var failedAt))
        {
            throw OutOfRange($"{ownerPath}.attributeIndices[{failedAt}]", indices[failedAt], DictionaryTable.Attribute);
        }
        return attributes;
    }

    public string String(int index, string path)
    {
        var table = _dictionary.StringTable;
        if (table.Count == 0 && index == 0) return "";
        if ((uint)index >= (uint)table.Count) throw OutOfRange(path, index, DictionaryTable.String);
        return table[index];
    }

    public Core.Model.ValueType ValueType(Wire.ValueType wire, string path) =>
        new(String(wire.TypeStrindex, path + ".typeStrindex"), String(wire.UnitStrindex, path + ".unitStrindex"));

    public KeyValue KeyValue(WireCommon.KeyValue wire, string path)
    {
        var value = wire.Value is null ? null : AnyValue(wire.Value, path + ".value");
        return wire.KeyStrindex != 0
            ? new KeyValue(String(wire.KeyStrindex, path + ".keyStrindex"), value, KeyByReference: true)
            : new KeyValue(wire.Key, value);
    }

    public AnyValue AnyValue(WireCommon.AnyValue wire, string path)
    {
        switch (wire.ValueCase)
        {
            case WireCommon.AnyValue.ValueOneofCase.StringValue: return Core.Model.AnyValue.String(wire.StringValue);
            case WireCommon.AnyValue.ValueOneofCase.StringValueStrindex:
                return Core.Model.AnyValue.String(String(wire.StringValueStrindex, path + ".stringValueStrindex"), byReference: true);
            case WireCommon.AnyValue.ValueOneofCase.BoolValue: return Core.Model.AnyValue.Bool(wire.BoolValue);
            case WireCommon.AnyValue.ValueOneofCase.IntValue: return Core.Model.AnyValue.Int(wire.IntValue);
            case WireCommon.AnyValue.ValueOneofCase.DoubleValue: return Core.Model.AnyValue.Double(wire.DoubleValue);
            case WireCommon.AnyValue.ValueOneofCase.BytesValue: return Core.Model.AnyValue.Bytes(ToImmutable(wire.BytesValue));
            case WireCommon.AnyValue.ValueOneofCase.ArrayValue:
                var items = new AnyValue[wire.ArrayValue.Values.Count];
                for (var i = 0; i < items.Length; i++) items[i] = AnyValue(wire.ArrayValue.Values[i], $"{path}.arrayValue.values[{i}]");
                return Core.Model.AnyValue.Array(ImmutableCollectionsMarshal.AsImmutableArray(items));
            case WireCommon.AnyValue.ValueOneofCase.KvlistValue:
                var entries = new KeyValue[wire.KvlistValue.Values.Count];
                for (var i = 0; i < entries.Length; i++) entries[i] = KeyValue(wire.KvlistValue.Values[i], $"{path}.kvlistValue.values[{i}]");
                return Core.Model.AnyValue.KeyValueList(ImmutableCollectionsMarshal.AsImmutableArray(entries));
            default: return Core.Model.AnyValue.Empty;
        }
    }

    public static ImmutableArray<byte> ToImmutable(ByteString bytes) => bytes.IsEmpty ? [] : ImmutableArray.Create(bytes.Span);

    // Below, an entry's path is only spelled out when one of its indices is out of range: these run once per
    // dictionary entry, and formatting paths eagerly cost more than resolving the entries.

    private Stack ResolveStack(int index)
    {
        var wire = _dictionary.StackTable[index];
        if (wire.LocationIndices.Count == 0) return Stack.Empty;
        var locations = new Location[wire.LocationIndices.Count];
        for (var i = 0; i < locations.Length; i++)
        {
            var locationIndex = wire.LocationIndices[i];
            if ((uint)locationIndex >= (uint)_locations.Count)
            {
                throw OutOfRange($"dictionary.stackTable[{index}].locationIndices[{i}]", locationIndex, DictionaryTable.Location);
            }
            locations[i] = Location(locationIndex);
        }
        return new Stack(ImmutableCollectionsMarshal.AsImmutableArray(locations));
    }

    private Location Location(int index)
    {
        ref var slot = ref _locations[index];
        if (!slot.Done)
        {
            slot.Value = _dictionary.LocationTable.Count == 0 ? ZeroLocation : ResolveLocation(index);
            slot.Done = true;
        }
        return slot.Value;
    }

    private Location ResolveLocation(int index)
    {
        var wire = _dictionary.LocationTable[index];
        if ((uint)wire.MappingIndex >= (uint)_mappings.Count)
        {
            throw OutOfRange($"dictionary.locationTable[{index}].mappingIndex", wire.MappingIndex, DictionaryTable.Mapping);
        }
        var mapping = Mapping(wire.MappingIndex);
        ImmutableArray<Line> lines = [];
        if (wire.Lines.Count > 0)
        {
            var resolved = new Line[wire.Lines.Count];
            for (var i = 0; i < resolved.Length; i++)
            {
                var line = wire.Lines[i];
                if ((uint)line.FunctionIndex >= (uint)_functions.Count)
                {
                    throw OutOfRange($"dictionary.locationTable[{index}].lines[{i}].functionIndex", line.FunctionIndex, DictionaryTable.Function);
                }
                resolved[i] = new Line(Function(line.FunctionIndex), line.Line_, line.Column);
            }
            lines = ImmutableCollectionsMarshal.AsImmutableArray(resolved);
        }
        return new Location(mapping, wire.Address, lines, EntryAttributes(wire.AttributeIndices, DictionaryTable.Location, index));
    }

    private Mapping? Mapping(int index)
    {
        ref var slot = ref _mappings[index];
        if (!slot.Done)
        {
            if (_dictionary.MappingTable.Count > 0)
            {
                var wire = _dictionary.MappingTable[index];
                var mapping = new Mapping(wire.MemoryStart, wire.MemoryLimit, wire.FileOffset,
                    EntryString(wire.FilenameStrindex, DictionaryTable.Mapping, index, "filenameStrindex"),
                    EntryAttributes(wire.AttributeIndices, DictionaryTable.Mapping, index));
                slot.Value = ZeroValues.IsZero(mapping) ? null : mapping;
            }
            slot.Done = true;
        }
        return slot.Value;
    }

    private Function? Function(int index)
    {
        ref var slot = ref _functions[index];
        if (!slot.Done)
        {
            if (_dictionary.FunctionTable.Count > 0)
            {
                var wire = _dictionary.FunctionTable[index];
                var function = new Function(
                    EntryString(wire.NameStrindex, DictionaryTable.Function, index, "nameStrindex"),
                    EntryString(wire.SystemNameStrindex, DictionaryTable.Function, index, "systemNameStrindex"),
                    EntryString(wire.FilenameStrindex, DictionaryTable.Function, index, "filenameStrindex"),
                    wire.StartLine);
                slot.Value = ZeroValues.IsZero(function) ? null : function;
            }
            slot.Done = true;
        }
        return slot.Value;
    }

    private KeyValueAndUnit ResolveAttribute(int index)
    {
        var wire = _dictionary.AttributeTable[index];
        return new KeyValueAndUnit(
            EntryString(wire.KeyStrindex, DictionaryTable.Attribute, index, "keyStrindex"),
            wire.Value is null ? null : AnyValue(wire.Value, $"dictionary.attributeTable[{index}].value"),
            EntryString(wire.UnitStrindex, DictionaryTable.Attribute, index, "unitStrindex"));
    }

    private string EntryString(int index, DictionaryTable entryTable, int entry, string field)
    {
        var table = _dictionary.StringTable;
        if ((uint)index < (uint)table.Count) return table[index];
        if (table.Count == 0 && index == 0) return "";
        throw OutOfRange($"dictionary.{DictionaryTables.Name(entryTable)}[{entry}].{field}", index, DictionaryTable.String);
    }

    private ImmutableArray<KeyValueAndUnit> EntryAttributes(RepeatedField<int> indices, DictionaryTable entryTable, int entry)
    {
        if (!TryAttributes(indices, out var attributes, out var failedAt))
        {
            throw OutOfRange($"dictionary.{DictionaryTables.Name(entryTable)}[{entry}].attributeIndices[{failedAt}]", indices[failedAt], DictionaryTable.Attribute);
        }
        return attributes;
    }

    public void Dispose()
    {
        _mappings.Return();
        _locations.Return();
        _functions.Return();
        _links.Return();
        _attributes.Return();
        _stacks.Return();
    }

    private struct Resolved<T>
    {
        public T Value;
        public bool Done;
    }

    /// <summary>
    /// One table's resolved entries, in a rented array: at realistic sizes a fresh array per export would land on
    /// the large object heap and make decoding trigger full collections. An absent table still has its
    /// implicit zero value at index 0, hence at least one slot.
    /// </summary>
    private sealed class Slots<T>(int wireCount)
    {
        // Only this class rents arrays of its private element type, and it clears them on return, so they come back clean.
        private readonly Resolved<T>[] _items = ArrayPool<Resolved<T>>.Shared.Rent(Math.Max(wireCount, 1));

        public int Count { get; } = Math.Max(wireCount, 1);

        public ref Resolved<T> this[int index] => ref _items[index];

        public void Return() => ArrayPool<Resolved<T>>.Shared.Return(_items, clearArray: true);
    }
}
