using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace Collector.Unwinding.Elf;

/// <summary>
/// The GNU build id of an ELF file, from its <c>.note.gnu.build-id</c> section: what the kernel reports for a frame
/// in the file (BPF_F_USER_BUILD_ID), so that frames the unwinder walked can be named like those the kernel walked.
/// </summary>
public static class ElfBuildId
{
    private const int NoteHeaderSize = 12;
    private const uint NoteTypeGnuBuildId = 3;
    private const string Section = ".note.gnu.build-id";

    /// <summary>The build id's bytes, or empty when the file is not ELF, has no such note, or the note is malformed.</summary>
    public static ReadOnlyMemory<byte> Read(ReadOnlyMemory<byte> file) => Read(ElfImage.TryRead(file));

    /// <summary>The build id of the open file <paramref name="file"/>, reading its headers and the note alone.</summary>
    public static ReadOnlyMemory<byte> Read(SafeFileHandle file) =>
        Read(ElfSource.Of(file) is { } source ? ElfImage.TryRead(source, name => name == Section) : null);

    private static ReadOnlyMemory<byte> Read(ElfImage? image)
    {
        if (image?.Find(Section) is not { } section) return ReadOnlyMemory<byte>.Empty;
        var notes = section.Data;
        var position = 0;
        // Notes are 4-byte aligned in ELF64 files as linkers write them (the kernel reads them the same way).
        while (notes.Length - position >= NoteHeaderSize)
        {
            var span = notes.Span;
            var nameSize = BinaryPrimitives.ReadUInt32LittleEndian(span[position..]);
            var descriptorSize = BinaryPrimitives.ReadUInt32LittleEndian(span[(position + 4)..]);
            var type = BinaryPrimitives.ReadUInt32LittleEndian(span[(position + 8)..]);
            position += NoteHeaderSize;
            var alignedName = (nameSize + 3UL) & ~3UL;
            if (alignedName > (ulong)(notes.Length - position)) break;
            var name = span.Slice(position, (int)nameSize);
            position += (int)alignedName;
            if (descriptorSize > (ulong)(notes.Length - position)) break;
            if (type == NoteTypeGnuBuildId && name.SequenceEqual("GNU\0"u8))
            {
                return descriptorSize == 0 ? ReadOnlyMemory<byte>.Empty : notes.Slice(position, (int)descriptorSize);
            }
            var alignedDescriptor = (descriptorSize + 3UL) & ~3UL;
            if (alignedDescriptor > (ulong)(notes.Length - position)) break;
            position += (int)alignedDescriptor;
        }
        return ReadOnlyMemory<byte>.Empty;
    }
}
