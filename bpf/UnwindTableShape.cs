namespace Collector.Bpf;

/// <summary>
/// What the BPF unwinder must know of a loaded table to search it: <see cref="Rows"/> rows, then
/// <see cref="IndexBuckets"/> buckets of 2^<see cref="IndexShift"/> bytes each from file virtual address
/// <see cref="IndexBase"/> (struct profiler_unwind_bucket). <see cref="None"/> for a mapping without a table.
/// </summary>
public readonly record struct UnwindTableShape(uint Rows, uint IndexBase, uint IndexBuckets, int IndexShift)
{
    public static UnwindTableShape None => default;

    /// <summary>Slots of the table's kernel array: its rows and its buckets.</summary>
    public long Slots => (long)Rows + IndexBuckets;
}
