using Microsoft.Win32.SafeHandles;

namespace Collector.Unwinding.Elf;

/// <summary>
/// Where an ELF file's bytes come from: the whole file in memory (tests, fuzzing), or an open file read range by
/// range, so that a table is built from the headers and the call-frame sections alone instead of a copy of the file
/// (a 500 MB binary would otherwise cost 500 MB of memory while its table is built).
/// </summary>
internal abstract class ElfSource
{
    public abstract ulong Length { get; }

    /// <summary>The bytes of [offset, offset + size), or null when the range is outside the file or cannot be read.</summary>
    public abstract ReadOnlyMemory<byte>? Read(ulong offset, ulong size);

    public bool Fits(ulong offset, ulong size) => offset <= Length && size <= Length - offset;

    /// <summary>The open file <paramref name="file"/>, or null when its length cannot be read.</summary>
    public static ElfSource? Of(SafeFileHandle file)
    {
        try
        {
            return new FileElfSource(file, (ulong)RandomAccess.GetLength(file));
        }
        catch (IOException)
        {
            return null;
        }
    }
}

/// <summary>A whole file in memory: ranges are slices, nothing is copied.</summary>
internal sealed class MemoryElfSource(ReadOnlyMemory<byte> file) : ElfSource
{
    public override ulong Length => (ulong)file.Length;

    public override ReadOnlyMemory<byte>? Read(ulong offset, ulong size)
    {
        // Not a conditional expression: its null would become an empty slice through the array conversion.
        if (!Fits(offset, size)) return null;
        return file.Slice((int)offset, (int)size);
    }
}

/// <summary>
/// An open file, read with positioned reads. A file that shrinks while it is read (rewritten in place) gives short
/// reads, which are treated as ranges outside it: counted by the caller, never a crash.
/// </summary>
internal sealed class FileElfSource(SafeFileHandle file, ulong length) : ElfSource
{
    public override ulong Length => length;

    public override ReadOnlyMemory<byte>? Read(ulong offset, ulong size)
    {
        if (!Fits(offset, size) || size > int.MaxValue) return null;
        var bytes = new byte[size];
        try
        {
            var done = 0;
            while (done < bytes.Length)
            {
                var read = RandomAccess.Read(file, bytes.AsSpan(done), (long)offset + done);
                if (read == 0) return null;
                done += read;
            }
        }
        catch (IOException)
        {
            return null;
        }
        return bytes;
    }
}
