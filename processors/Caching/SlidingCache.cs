using System.Diagnostics.CodeAnalysis;

namespace Collector.Processors.Caching;

/// <summary>
/// A bounded cache whose entries expire <see cref="CachePolicy.Lifetime"/> after their last use (sliding
/// expiration) and which, when full, evicts the least recently used entry. Both rules need the same order,
/// the order of last use, so one linked list serves both: the most recently used entry at the head, so
/// expired entries are always found at the tail and purging costs only what it removes.
/// <para>The cache owns its values: a value that is <see cref="IDisposable"/> is disposed when it expires, is
/// evicted, replaced or removed, or when the cache is disposed. Not thread-safe: its owner serialises calls
/// (the counters may be read from any thread).</para>
/// </summary>
public sealed class SlidingCache<TKey, TValue> : IDisposable
    where TKey : notnull
{
    private readonly Dictionary<TKey, LinkedListNode<Entry>> _entries;
    private readonly LinkedList<Entry> _byLastUse = new();
    private readonly long _lifetimeTicks;
    private readonly CachePolicy _policy;
    private long _hits;
    private long _misses;
    private long _evictions;
    private long _expirations;

    public SlidingCache(CachePolicy policy, IEqualityComparer<TKey>? comparer = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        _policy = policy;
        _lifetimeTicks = (long)(policy.Lifetime.TotalSeconds * policy.Time.TimestampFrequency);
        _entries = new Dictionary<TKey, LinkedListNode<Entry>>(comparer);
    }

    public int Count => _entries.Count;

    /// <summary>Lookups answered by a live entry.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Lookups that found nothing (or only an expired entry).</summary>
    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>Entries removed to make room for a new one (least recently used first).</summary>
    public long Evictions => Interlocked.Read(ref _evictions);

    /// <summary>Entries removed because they had not been used for longer than the lifetime.</summary>
    public long Expirations => Interlocked.Read(ref _expirations);

    /// <summary>The live entry for <paramref name="key"/>; finding it extends its life.</summary>
    public bool TryGet(TKey key, [MaybeNullWhen(false)] out TValue value)
    {
        var now = _policy.Time.GetTimestamp();
        PurgeExpired(now);
        if (_entries.TryGetValue(key, out var node))
        {
            Touch(node, now);
            Interlocked.Increment(ref _hits);
            value = node.Value.Value;
            return true;
        }
        Interlocked.Increment(ref _misses);
        value = default;
        return false;
    }

    /// <summary>The live entry for <paramref name="key"/>, or the one <paramref name="create"/> makes (then cached).</summary>
    public TValue GetOrAdd(TKey key, Func<TKey, TValue> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        if (TryGet(key, out var value)) return value;
        value = create(key);
        Set(key, value);
        return value;
    }

    /// <summary>Stores (or replaces) the entry for <paramref name="key"/> as just used, evicting the least recently used when full.</summary>
    public void Set(TKey key, TValue value)
    {
        var now = _policy.Time.GetTimestamp();
        PurgeExpired(now);
        if (_entries.TryGetValue(key, out var node))
        {
            var previous = node.Value.Value;
            node.Value.Value = value;
            Touch(node, now);
            if (!ReferenceEquals(previous, value)) Release(previous);
            return;
        }
        while (_entries.Count >= _policy.MaxEntries && _byLastUse.Last is { } oldest)
        {
            Remove(oldest);
            Interlocked.Increment(ref _evictions);
        }
        node = _byLastUse.AddFirst(new Entry(key, value, now));
        _entries.Add(key, node);
    }

    public bool Remove(TKey key)
    {
        if (!_entries.TryGetValue(key, out var node)) return false;
        Remove(node);
        return true;
    }

    /// <summary>Drops every entry unused for longer than the lifetime. Lookups do this too; an idle owner may call it to free memory.</summary>
    public void PurgeExpired() => PurgeExpired(_policy.Time.GetTimestamp());

    public void Dispose()
    {
        foreach (var entry in _byLastUse) Release(entry.Value);
        _byLastUse.Clear();
        _entries.Clear();
    }

    private void PurgeExpired(long now)
    {
        while (_byLastUse.Last is { } oldest && now - oldest.Value.LastUse > _lifetimeTicks)
        {
            Remove(oldest);
            Interlocked.Increment(ref _expirations);
        }
    }

    private void Touch(LinkedListNode<Entry> node, long now)
    {
        node.Value.LastUse = now;
        if (node != _byLastUse.First)
        {
            _byLastUse.Remove(node);
            _byLastUse.AddFirst(node);
        }
    }

    private void Remove(LinkedListNode<Entry> node)
    {
        _byLastUse.Remove(node);
        _entries.Remove(node.Value.Key);
        Release(node.Value.Value);
    }

    private static void Release(TValue value)
    {
        if (value is IDisposable disposable) disposable.Dispose();
    }

    private sealed class Entry(TKey key, TValue value, long lastUse)
    {
        public TKey Key { get; } = key;

        public TValue Value { get; set; } = value;

        public long LastUse { get; set; } = lastUse;
    }
}
