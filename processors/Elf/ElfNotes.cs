namespace Collector.Processors.Elf;

/// <summary>Walks the ELF notes of a PT_NOTE segment or SHT_NOTE section, stopping quietly at the first malformed one.</summary>
internal static class ElfNotes
{
    private const int NoteHeaderSize = 12;

    /// <summary>
    /// Finds the NT_GNU_BUILD_ID note with owner "GNU" in [offset, offset + size) and returns its descriptor's
    /// position. Notes are padded to 4 bytes, or to 8 when the container says its alignment is 8 (gABI).
    /// </summary>
    public static bool TryFindGnuBuildId(ElfReader reader, ulong offset, ulong size, ulong alignment, out ulong descriptorOffset, out int descriptorLength)
    {
        descriptorOffset = 0;
        descriptorLength = 0;
        if (!reader.Contains(offset, size)) return false;
        ulong align = alignment == 8 ? 8u : 4u;
        var position = offset;
        var end = offset + size;
        while (end - position >= NoteHeaderSize)
        {
            ulong nameSize = reader.U32(position);
            ulong descriptorSize = reader.U32(position + 4);
            var type = reader.U32(position + 8);
            position += NoteHeaderSize;
            if (nameSize > end - position) return false;
            var name = reader.Slice(position, nameSize);
            position += Math.Min(AlignUp(nameSize, align), end - position);
            if (descriptorSize > end - position) return false;
            if (type == ElfConstants.NtGnuBuildId && name.SequenceEqual("GNU\0"u8))
            {
                if (descriptorSize == 0) return false;
                descriptorOffset = position;
                descriptorLength = (int)descriptorSize;
                return true;
            }
            position += Math.Min(AlignUp(descriptorSize, align), end - position);
        }
        return false;
    }

    // Sizes here come from 32-bit fields, so adding the alignment cannot overflow a ulong.
    private static ulong AlignUp(ulong value, ulong alignment) => (value + alignment - 1) & ~(alignment - 1);
}
