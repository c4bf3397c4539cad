namespace Collector.Processors.PidLifecycle;

/// <summary>A dictionary that forgets its oldest insertions beyond a capacity: memory stays bounded whatever the churn.</summary>
internal sealed class BoundedMap<TKey, TValue>(int capacity)
    where TKey : notnull
{
    private readonly Dictionary<TKey, TValue> _entries = [];
    private readonly Queue<TKey> _order = new();

    public int Count => _entries.Count;

    public bool TryGetValue(TKey key, out TValue value) => _entries.TryGetValue(key, out value!);

    public void Set(TKey key, TValue value)
    {
        if (_entries.TryAdd(key, value))
        {
            _order.Enqueue(key);
            while (_entries.Count > capacity) _entries.Remove(_order.Dequeue());
        }
        else
        {
            _entries[key] = value;
        }
    }
}
