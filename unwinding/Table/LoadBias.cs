using Collector.Unwinding.Elf;

namespace Collector.Unwinding.Table;

/// <summary>The PT_LOAD segments of one file, enough to turn a mapping of it into the bias its rows need.</summary>
public sealed class LoadBias
{
    private readonly LoadSegment[] _segments;

    internal LoadBias(LoadSegment[] segments) => _segments = segments;

    /// <summary>
    /// The load bias of a mapping of this file: a process address minus the bias is the file virtual address the rows
    /// use. <paramref name="mappingStart"/> and <paramref name="mappingFileOffset"/> are a maps line's start and
    /// offset. False when no PT_LOAD segment of the file holds that offset (not this file, or a corrupt one).
    /// </summary>
    public bool TryGetBias(ulong mappingStart, ulong mappingFileOffset, out ulong bias)
    {
        // Code segments first: the first page of a file is often shared by a data and a code segment's ranges.
        foreach (var executable in (ReadOnlySpan<bool>)[true, false])
        {
            foreach (var segment in _segments)
            {
                // The mapping's first byte is the file's byte at mappingFileOffset (segments start page-aligned down).
                if (segment.IsExecutable == executable && mappingFileOffset >= (segment.FileOffset & ~0xfffUL)
                    && mappingFileOffset < segment.FileOffset + Math.Max(segment.FileSize, 1))
                {
                    var vaddrAtStart = unchecked(segment.VirtualAddress - segment.FileOffset + mappingFileOffset);
                    bias = unchecked(mappingStart - vaddrAtStart);
                    return true;
                }
            }
        }
        bias = 0;
        return false;
    }

}
