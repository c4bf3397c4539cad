namespace Collector.Unwinding.Elf;

/// <summary>A PT_LOAD program header: where a part of the file lives in memory, and whether it holds code.</summary>
internal readonly record struct LoadSegment(ulong VirtualAddress, ulong MemorySize, ulong FileOffset, ulong FileSize, bool IsExecutable)
{
    public bool Contains(ulong start, ulong end) =>
        start >= VirtualAddress && end >= start && end - VirtualAddress <= MemorySize;
}
