using Collector.Core.Model;

namespace Collector.Core.Tests.Model;

/// <summary>The records that cache their hash: equal values hash alike, and <c>with</c> never keeps a stale hash.</summary>
public sealed class ValueEqualityTests
{
    [Fact]
    public void Equal_functions_are_equal_and_hash_alike()
    {
        var function = new Function("main", "_Z4mainv", "main.cc", 3);
        var same = new Function("main", "_Z4mainv", "main.cc", 3);

        Assert.Equal(function, same);
        Assert.Equal(function.GetHashCode(), same.GetHashCode());
        Assert.NotEqual(function, new Function("main", "_Z4mainv", "main.cc", 4));
        Assert.NotEqual(function, new Function("main", "_Z4mainv", "other.cc", 3));
        Assert.NotEqual(function, new Function("main", "main", "main.cc", 3));
        Assert.NotEqual(function, new Function("Main", "_Z4mainv", "main.cc", 3));
    }

    [Fact]
    public void A_function_copied_with_changes_hashes_as_its_new_value()
    {
        var function = new Function("main", "_Z4mainv", "main.cc", 3);
        _ = function.GetHashCode();

        var renamed = function with { Name = "start" };

        Assert.NotEqual(function, renamed);
        Assert.Equal(new Function("start", "_Z4mainv", "main.cc", 3), renamed);
        Assert.Equal(new Function("start", "_Z4mainv", "main.cc", 3).GetHashCode(), renamed.GetHashCode());
        Assert.Equal(function, function with { });
    }

    [Fact]
    public void Equal_attributes_are_equal_and_hash_alike()
    {
        var attribute = new KeyValueAndUnit("cpu.time", AnyValue.Int(5), "ns");
        var same = new KeyValueAndUnit("cpu.time", AnyValue.Int(5), "ns");

        Assert.Equal(attribute, same);
        Assert.Equal(attribute.GetHashCode(), same.GetHashCode());
        Assert.NotEqual(attribute, new KeyValueAndUnit("cpu.time", AnyValue.Int(6), "ns"));
        Assert.NotEqual(attribute, new KeyValueAndUnit("cpu.time", AnyValue.Int(5), "ms"));
        Assert.NotEqual(attribute, new KeyValueAndUnit("cpu.time", null, "ns"));
        Assert.Equal(new KeyValueAndUnit("k", null), new KeyValueAndUnit("k", null));
    }

    [Fact]
    public void An_attribute_copied_with_changes_hashes_as_its_new_value()
    {
        var attribute = KeyValueAndUnit.Of("thread.id", 1);
        _ = attribute.GetHashCode();

        var other = attribute with { Value = AnyValue.Int(2) };

        Assert.NotEqual(attribute, other);
        Assert.Equal(KeyValueAndUnit.Of("thread.id", 2), other);
        Assert.Equal(KeyValueAndUnit.Of("thread.id", 2).GetHashCode(), other.GetHashCode());
    }
}
