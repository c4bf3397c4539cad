namespace Collector.Processors.Caching;

/// <summary>
/// The one lifetime policy every cache layer of a component shares (DESIGN.md lesson 3): an entry lives for
/// <see cref="Lifetime"/> after its last use, and a cache holds at most <see cref="MaxEntries"/> entries. Layers
/// that took their lifetimes from different settings once let one layer forget what another still used; so a
/// component builds one policy from its options and hands the same instance to every cache it owns.
/// </summary>
public sealed record CachePolicy
{
    public CachePolicy(TimeSpan lifetime, int maxEntries, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lifetime, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEntries, 1);
        ArgumentNullException.ThrowIfNull(time);
        Lifetime = lifetime;
        MaxEntries = maxEntries;
        Time = time;
    }

    /// <summary>How long an entry survives without being used; every use starts it again.</summary>
    public TimeSpan Lifetime { get; }

    public int MaxEntries { get; }

    public TimeProvider Time { get; }

    /// <summary>The same lifetime and clock with another size bound, for a layer that holds a single table.</summary>
    public CachePolicy WithMaxEntries(int maxEntries) => new(Lifetime, maxEntries, Time);
}
