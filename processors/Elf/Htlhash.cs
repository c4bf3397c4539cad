using System.Buffers.Binary;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;

namespace Collector.Processors.Elf;

/// <summary>
/// The <c>process.executable.build_id.htlhash</c> of the semantic conventions (profiles mappings spec): the first
/// 16 bytes of SHA-256 over File[:4096] ‖ File[-4096:] ‖ big-endian uint64 length, in lower-case hex.
/// </summary>
/// <remarks>
/// The two pages may overlap and are not padded: a file shorter than 4096 bytes contributes its whole content
/// twice (head and tail are both the whole file), an empty file contributes only its length.
/// </remarks>
public static class Htlhash
{
    private const int Page = 4096;

    /// <summary>Hashes the file behind <paramref name="file"/> with two positional reads; <see cref="IOException"/> when it changes size meanwhile.</summary>
    public static string Compute(SafeFileHandle file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var length = RandomAccess.GetLength(file);
        Span<byte> input = stackalloc byte[(2 * Page) + sizeof(ulong)];
        var pageLength = (int)Math.Min(length, Page);
        ReadExactly(file, input[..pageLength], 0);
        ReadExactly(file, input.Slice(pageLength, pageLength), length - pageLength);
        return Finish(input, pageLength, (ulong)length);
    }

    public static string Compute(ReadOnlySpan<byte> whole)
    {
        Span<byte> input = stackalloc byte[(2 * Page) + sizeof(ulong)];
        var pageLength = Math.Min(whole.Length, Page);
        whole[..pageLength].CopyTo(input);
        whole[^pageLength..].CopyTo(input[pageLength..]);
        return Finish(input, pageLength, (ulong)whole.Length);
    }

    private static string Finish(Span<byte> input, int pageLength, ulong length)
    {
        var used = 2 * pageLength;
        BinaryPrimitives.WriteUInt64BigEndian(input[used..], length);
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(input[..(used + sizeof(ulong))], digest);
        return Convert.ToHexStringLower(digest[..16]);
    }

    private static void ReadExactly(SafeFileHandle file, Span<byte> destination, long offset)
    {
        while (!destination.IsEmpty)
        {
            var read = RandomAccess.Read(file, destination, offset);
            if (read == 0) throw new IOException("the file became shorter while its htlhash was computed");
            destination = destination[read..];
            offset += read;
        }
    }
}
