using System.Buffers.Binary;
using System.IO.Compression;
using System.Runtime.InteropServices;
using Collector.Unwinding.Table;

namespace Collector.Unwinding.Elf;

/// <summary>
/// The contents of an SHF_COMPRESSED section: an Elf64_Chdr (type, reserved, uncompressed size, alignment; 24 bytes)
/// and the compressed bytes. zlib (ELFCOMPRESS_ZLIB) is read; zstd (ELFCOMPRESS_ZSTD, from `objcopy
/// --compress-debug-sections=zstd`) has no reader in the .NET library and is refused. A header that is cut short,
/// a size beyond what zlib can expand the stream to or beyond <see cref="MaxSize"/>, a broken stream or one that
/// ends at another size than the header says is refused as invalid. Never throws.
/// </summary>
internal static class CompressedSection
{
    /// <summary>The largest section we expand: .debug_frame of a very large program is tens of megabytes.</summary>
    public const int MaxSize = 256 << 20;

    private const int HeaderSize = 24;
    private const uint TypeZlib = 1;

    /// <summary>zlib's deflate expands a byte to at most 1032 (RFC 1950/1951 limits): a bigger claim is a lie.</summary>
    private const long MaxRatio = 1032;

    public static bool TryExpand(ReadOnlyMemory<byte> data, out ReadOnlyMemory<byte> contents, out UnwindIssue? refusal)
    {
        contents = ReadOnlyMemory<byte>.Empty;
        refusal = UnwindIssue.SectionCompressionInvalid;
        if (data.Length < HeaderSize) return false;
        var header = data.Span;
        var type = BinaryPrimitives.ReadUInt32LittleEndian(header);
        var size = BinaryPrimitives.ReadUInt64LittleEndian(header[8..]);
        if (type != TypeZlib)
        {
            refusal = UnwindIssue.SectionCompressionUnsupported;
            return false;
        }
        var compressed = data[HeaderSize..];
        if (size > MaxSize || size > (ulong)(compressed.Length * MaxRatio)) return false;
        var expanded = new byte[size];
        try
        {
            using var stream = new ZLibStream(StreamOver(compressed), CompressionMode.Decompress);
            var filled = 0;
            while (filled < expanded.Length)
            {
                var read = stream.Read(expanded, filled, expanded.Length - filled);
                if (read == 0) return false; // shorter than the header says
                filled += read;
            }
            if (stream.ReadByte() != -1) return false; // longer than the header says
        }
        catch (InvalidDataException)
        {
            return false;
        }
        contents = expanded;
        refusal = null;
        return true;
    }

    // Section bytes read from a file or held in memory are arrays: read them in place.
    private static MemoryStream StreamOver(ReadOnlyMemory<byte> bytes) =>
        MemoryMarshal.TryGetArray(bytes, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(bytes.ToArray(), writable: false);
}
