using Google.Protobuf;
using Google.Protobuf.Collections;

namespace Collector.Core.Otlp;

/// <summary>
/// One dictionary table being filled for one export. Lookups go by model value first, which is cheap because
/// model entities cache their hash and compare by reference first; on a miss the caller converts the entity
/// and the wire form is looked up too, so model values that encode identically (a null mapping and an
/// all-zero one, say) still share one entry and the table never holds duplicates.
/// </summary>
internal sealed class InternTable<TModel, TWire>
    where TModel : class
    where TWire : class, IMessage<TWire>
{
    private readonly Dictionary<TModel, int> _byModel = [];
    private readonly Dictionary<TWire, int> _byWire = [];
    private readonly RepeatedField<TWire> _entries;

    /// <summary>Starts the table with its zero value at index 0.</summary>
    public InternTable(RepeatedField<TWire> entries, TWire zero)
    {
        _entries = entries;
        AddWire(zero);
    }

    public bool TryGet(TModel model, out int index) => _byModel.TryGetValue(model, out index);

    /// <summary>Records <paramref name="model"/> as encoding to <paramref name="wire"/>; returns its index. Never mutate <paramref name="wire"/> afterwards.</summary>
    public int Add(TModel model, TWire wire)
    {
        var index = AddWire(wire);
        _byModel.Add(model, index);
        return index;
    }

    private int AddWire(TWire wire)
    {
        if (!_byWire.TryGetValue(wire, out var index))
        {
            index = _entries.Count;
            _entries.Add(wire);
            _byWire.Add(wire, index);
        }
        return index;
    }
}
