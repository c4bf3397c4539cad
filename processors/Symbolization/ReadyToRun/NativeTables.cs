namespace Collector.Processors.Symbolization.ReadyToRun;

/// <summary>
/// The two Native Format containers ReadyToRun keeps its method entry points in (dotnet/runtime
/// docs/design/coreclr/botr/readytorun-format.md, "Native Format"): the sparse array indexed by MethodDef row, and
/// the hashtable of generic instantiations. Offsets inside them are RVAs.
/// </summary>
internal static class NativeTables
{
    private const uint BlockSize = 16;

    /// <summary>Every (index, RVA of the element) of the sparse array at <paramref name="rva"/>.</summary>
    public static IEnumerable<(uint Index, uint Element)> ArrayElements(ImageReader image, uint rva)
    {
        var baseRva = image.DecodeUnsigned(rva, out var header);
        var count = header >> 2;
        var entryIndexSize = (uint)(header & 3);
        for (uint index = 0; index < count; index++)
        {
            if (TryArrayElement(image, baseRva, entryIndexSize, index, out var element)) yield return (index, element);
        }
    }

    /// <summary>Every entry of the hashtable at <paramref name="rva"/>, as the RVA of its data.</summary>
    public static IEnumerable<uint> HashtableEntries(ImageReader image, uint rva)
    {
        var header = image.Byte(rva);
        var baseRva = rva + 1;
        var bucketCount = 1u << (header >> 2);
        var entryIndexSize = (uint)(header & 3);
        for (uint bucket = 0; bucket < bucketCount; bucket++)
        {
            var start = baseRva + BucketOffset(image, baseRva, entryIndexSize, bucket);
            var end = baseRva + BucketOffset(image, baseRva, entryIndexSize, bucket + 1);
            var position = start;
            while (position < end)
            {
                position++; // the low byte of the entry's hash code
                var deltaAt = position;
                position = image.DecodeSigned(position, out var delta);
                yield return (uint)(deltaAt + delta);
            }
        }
    }

    private static uint BucketOffset(ImageReader image, uint baseRva, uint entryIndexSize, uint bucket) => entryIndexSize switch
    {
        0 => image.Byte(baseRva + bucket),
        1 => image.UInt16(baseRva + 2 * bucket),
        _ => image.UInt32(baseRva + 4 * bucket),
    };

    /// <summary>Walks the array's tree of blocks to element <paramref name="index"/>; false when the array has no element there.</summary>
    private static bool TryArrayElement(ImageReader image, uint baseRva, uint entryIndexSize, uint index, out uint element)
    {
        element = baseRva + BucketOffset(image, baseRva, entryIndexSize, index / BlockSize);
        for (var bit = BlockSize >> 1; bit > 0; bit >>= 1)
        {
            var next = image.DecodeUnsigned(element, out var node);
            if ((index & bit) != 0)
            {
                if ((node & 2) != 0)
                {
                    element += node >> 2;
                    continue;
                }
            }
            else if ((node & 1) != 0)
            {
                element = next;
                continue;
            }
            // A leaf that holds one element of the block.
            if ((node & 3) == 0 && (node >> 2) == (index & (BlockSize - 1)))
            {
                element = next;
                return true;
            }
            return false;
        }
        return true;
    }
}
