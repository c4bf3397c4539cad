using System.Buffers.Binary;

namespace Collector.Core.Model;

/// <summary>
/// A GNU build id as the kernel reports it in stack traces: 20 bytes, zero padded when the note is shorter.
/// Held as three integers so that it compares and hashes without allocating.
/// </summary>
public readonly record struct KernelBuildId(ulong Bytes0To7, ulong Bytes8To15, uint Bytes16To19)
{
    public const int Size = 20;

    public bool IsEmpty => Bytes0To7 == 0 && Bytes8To15 == 0 && Bytes16To19 == 0;

    /// <summary>Reads the 20 bytes the kernel wrote; a shorter id is zero padded the same way.</summary>
    public static KernelBuildId FromBytes(ReadOnlySpan<byte> bytes)
    {
        Span<byte> padded = stackalloc byte[Size];
        bytes[..Math.Min(bytes.Length, Size)].CopyTo(padded);
        return new KernelBuildId(
            BinaryPrimitives.ReadUInt64BigEndian(padded),
            BinaryPrimitives.ReadUInt64BigEndian(padded[8..]),
            BinaryPrimitives.ReadUInt32BigEndian(padded[16..]));
    }

    /// <summary>Writes the 20 bytes, padding included.</summary>
    public void CopyTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, Bytes0To7);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], Bytes8To15);
        BinaryPrimitives.WriteUInt32BigEndian(destination[16..], Bytes16To19);
    }

    /// <summary>
    /// Whether <paramref name="noteBytes"/> (a build id note's descriptor, as read from the file) is this id:
    /// equal over its length, with the rest of the 20 bytes zero.
    /// </summary>
    public bool Matches(ReadOnlySpan<byte> noteBytes)
    {
        if (noteBytes.Length is 0 or > Size) return false;
        Span<byte> mine = stackalloc byte[Size];
        CopyTo(mine);
        return mine[..noteBytes.Length].SequenceEqual(noteBytes) && !mine[noteBytes.Length..].ContainsAnyExcept((byte)0);
    }

    /// <summary>Lower-case hex of all 20 bytes (trailing padding included).</summary>
    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[Size];
        CopyTo(bytes);
        return Convert.ToHexStringLower(bytes);
    }
}
