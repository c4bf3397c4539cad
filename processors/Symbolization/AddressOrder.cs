namespace Collector.Processors.Symbolization;

/// <summary>Sorting symbol lists read from text files (kallsyms, perf maps) by start address, keeping file order among equal starts.</summary>
internal static class AddressOrder
{
    /// <summary>The indices of <paramref name="starts"/> in ascending address order; equal addresses stay in the order given.</summary>
    public static int[] Stable(ReadOnlySpan<ulong> starts)
    {
        var keys = new (ulong Start, int Index)[starts.Length];
        for (var i = 0; i < starts.Length; i++) keys[i] = (starts[i], i);
        // The index as the second key makes the (unstable) introsort stable.
        Array.Sort(keys);
        var order = new int[keys.Length];
        for (var i = 0; i < keys.Length; i++) order[i] = keys[i].Index;
        return order;
    }
}
