using System.Buffers.Binary;

namespace Collector.Protocol.Grpc;

/// <summary>
/// Tells a complete gzip member from a truncated one. .NET's GZipStream ends quietly at the end of a truncated
/// input (zlib verifies the CRC-32 only once it reaches the trailer), so without this a body cut short in
/// transit would decode to a shorter message. A complete member ends with the uncompressed length modulo 2^32;
/// in a truncated one those four bytes are compressed data that matches only by accident. Several concatenated
/// members cannot be checked this way and are refused as corrupt.
/// </summary>
internal static class GzipTrailer
{
    private const int Size = 8;

    public static bool LengthMatches(ReadOnlySpan<byte> compressed, int decompressedLength) =>
        compressed.Length >= Size && BinaryPrimitives.ReadUInt32LittleEndian(compressed[^4..]) == unchecked((uint)decompressedLength);
}
