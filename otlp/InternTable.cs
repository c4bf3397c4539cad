using System.Runtime.InteropServices;
using Google.Protobuf;
using Google.Protobuf.Collections;

namespace Collector.Otlp;

/// <summary>
/// One dictionary table being filled for one export. Lookups go by model value first; the model's entities
/// cache their hash and compare by reference first, so a shared instance costs little. The records (functions,
/// attributes) cache their hash too, but compare strings whenever two instances are equal without being the same,
/// so those tables put a lookup by reference in front. On a miss the caller converts the entity and the wire
/// form is looked up too, so model values that encode identically (a null mapping and an all-zero one, say)
/// still share one entry and the table never holds duplicates.
/// </summary>
internal sealed class InternTable<TModel, TWire>
    where TModel : class
    where TWire : class, IMessage<TWire>
{
    private readonly Dictionary<TModel, int>? _byReference;
    private readonly Dictionary<TModel, int> _byValue = [];
    private readonly Dictionary<TWire, int> _byWire = [];
    private RepeatedField<TWire>? _entries;

    public InternTable(bool lookUpByReferenceFirst = false)
    {
        if (lookUpByReferenceFirst) _byReference = new Dictionary<TModel, int>(ReferenceEqualityComparer.Instance);
    }

    /// <summary>Entries looked up by model value: a measure of how much the maps hold.</summary>
    public int Count => _byValue.Count + _byWire.Count;

    /// <summary>Starts filling <paramref name="entries"/> (one export's table) with its zero value at index 0.</summary>
    public void Start(RepeatedField<TWire> entries, TWire zero)
    {
        _entries = entries;
        AddWire(zero);
    }

    /// <summary>Forgets everything, keeping the maps' capacity for the next export.</summary>
    public void Clear()
    {
        _entries = null;
        _byReference?.Clear();
        _byValue.Clear();
        _byWire.Clear();
    }

    public bool TryGet(TModel model, out int index)
    {
        if (_byReference is null) return _byValue.TryGetValue(model, out index);
        if (_byReference.TryGetValue(model, out index)) return true;
        if (!_byValue.TryGetValue(model, out index)) return false;
        _byReference.Add(model, index);
        return true;
    }

    /// <summary>Records <paramref name="model"/> as encoding to <paramref name="wire"/>; returns its index. Never mutate <paramref name="wire"/> afterwards.</summary>
    public int Add(TModel model, TWire wire)
    {
        var index = AddWire(wire);
        _byValue.Add(model, index);
        _byReference?.Add(model, index);
        return index;
    }

    private int AddWire(TWire wire)
    {
        // One hash of the message for both the lookup and the insert.
        ref var index = ref CollectionsMarshal.GetValueRefOrAddDefault(_byWire, wire, out var exists);
        if (!exists)
        {
            index = _entries!.Count;
            _entries.Add(wire);
        }
        return index;
    }
}
