namespace Collector.Bpf.Tests;

/// <summary>Table ids come back as late as possible, so a sample holding an old id finds an empty slot, not another file.</summary>
public sealed class TableIdsTests
{
    [Fact]
    public void Every_id_is_used_once_before_any_comes_back_and_the_longest_freed_comes_back_first()
    {
        var ids = new TableIds(4);
        Assert.Equal([1u, 2u], new[] { ids.Take(), ids.Take() });
        ids.Return(2);
        ids.Return(1);
        Assert.Equal([3u, 4u, 2u, 1u], new[] { ids.Take(), ids.Take(), ids.Take(), ids.Take() });
    }

    [Fact]
    public void When_every_slot_is_taken_there_is_no_id()
    {
        var ids = new TableIds(2);
        ids.Take();
        ids.Take();
        Assert.Equal(0u, ids.Take());
        ids.Return(1);
        Assert.Equal(1u, ids.Take());
    }

    [Fact]
    public void Slot_zero_and_ids_past_the_capacity_are_never_given_back()
    {
        var ids = new TableIds(2);
        Assert.Throws<ArgumentOutOfRangeException>(() => ids.Return(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ids.Return(3));
    }
}
