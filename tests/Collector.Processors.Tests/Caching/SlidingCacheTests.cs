using Collector.Processors.Caching;

namespace Collector.Processors.Tests.Caching;

public class SlidingCacheTests
{
    private readonly SteppedClock _clock = new();

    [Fact]
    public void An_entry_in_use_outlives_its_lifetime_because_every_use_extends_it()
    {
        using var cache = new SlidingCache<string, string>(new CachePolicy(TimeSpan.FromHours(1), 10, _clock));
        cache.Set("libc", "symbols");
        for (var minute = 0; minute < 24 * 60; minute += 50)
        {
            _clock.Advance(TimeSpan.FromMinutes(50));
            Assert.True(cache.TryGet("libc", out var value), $"lost after {minute + 50} minutes of steady use");
            Assert.Equal("symbols", value);
        }
        Assert.Equal(0, cache.Expirations);
    }

    [Fact]
    public void An_entry_unused_for_longer_than_the_lifetime_expires()
    {
        using var cache = new SlidingCache<string, string>(new CachePolicy(TimeSpan.FromHours(1), 10, _clock));
        cache.Set("libc", "symbols");
        _clock.Advance(TimeSpan.FromHours(1));
        Assert.True(cache.TryGet("libc", out _), "exactly one lifetime after the last use it is still alive");
        _clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        Assert.False(cache.TryGet("libc", out _));
        Assert.Equal(1, cache.Expirations);
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void Expired_entries_are_purged_without_being_asked_for()
    {
        using var cache = new SlidingCache<string, string>(new CachePolicy(TimeSpan.FromMinutes(10), 10, _clock));
        cache.Set("old", "a");
        _clock.Advance(TimeSpan.FromMinutes(5));
        cache.Set("newer", "b");
        _clock.Advance(TimeSpan.FromMinutes(6));
        cache.PurgeExpired();
        Assert.Equal(1, cache.Count);
        Assert.True(cache.TryGet("newer", out _));
    }

    [Fact]
    public void A_full_cache_evicts_the_least_recently_used_entry()
    {
        using var cache = new SlidingCache<string, int>(new CachePolicy(TimeSpan.FromHours(1), 2, _clock));
        cache.Set("a", 1);
        cache.Set("b", 2);
        Assert.True(cache.TryGet("a", out _)); // now b is the least recently used
        cache.Set("c", 3);
        Assert.False(cache.TryGet("b", out _));
        Assert.True(cache.TryGet("a", out _));
        Assert.True(cache.TryGet("c", out _));
        Assert.Equal(1, cache.Evictions);
        Assert.Equal(0, cache.Expirations);
    }

    [Fact]
    public void Hits_and_misses_are_counted()
    {
        using var cache = new SlidingCache<int, int>(new CachePolicy(TimeSpan.FromHours(1), 4, _clock));
        Assert.Equal(7, cache.GetOrAdd(1, _ => 7));
        Assert.Equal(7, cache.GetOrAdd(1, _ => 8));
        Assert.False(cache.TryGet(2, out _));
        Assert.Equal(1, cache.Hits);
        Assert.Equal(2, cache.Misses);
    }

    [Fact]
    public void Values_are_disposed_when_evicted_expired_replaced_or_the_cache_is_disposed()
    {
        var evicted = new Disposable();
        var expired = new Disposable();
        var replaced = new Disposable();
        var kept = new Disposable();
        var cache = new SlidingCache<string, Disposable>(new CachePolicy(TimeSpan.FromMinutes(1), 2, _clock));
        cache.Set("expires", expired);
        _clock.Advance(TimeSpan.FromMinutes(2));
        cache.Set("evicted", evicted);
        Assert.True(expired.Disposed);
        cache.Set("replaced", replaced);
        cache.Set("other", new Disposable());
        Assert.True(evicted.Disposed);
        cache.Set("other", kept);
        cache.Dispose();
        Assert.True(replaced.Disposed);
        Assert.True(kept.Disposed);
    }

    private sealed class Disposable : IDisposable
    {
        public bool Disposed { get; private set; }

        public void Dispose() => Disposed = true;
    }
}
