using System.Buffers.Binary;
using System.Numerics;

namespace Collector.Exporters.Sending.Persistent;

/// <summary>
/// The layout of one record file of the persistent queue: a 20-byte header, then the request body.
/// <code>
///  0  magic "OTQ1"
///  4  version (1)       5  encoding (1 proto, 2 json)     6  two zero bytes
///  8  samples (int32 LE) 12  body length (int32 LE)
/// 16  CRC-32C (LE) of bytes 4..16 and of the body
/// 20  body
/// </code>
/// The length catches a torn write; the checksum catches a flipped bit anywhere after the magic.
/// </summary>
internal static class QueueRecord
{
    public const int HeaderSize = 20;

    private const byte Version = 1;

    private static ReadOnlySpan<byte> Magic => "OTQ1"u8;

    public static byte[] Encode(ExportRequest request)
    {
        var record = new byte[HeaderSize + request.Body.Length];
        Magic.CopyTo(record);
        record[4] = Version;
        record[5] = (byte)request.Encoding;
        BinaryPrimitives.WriteInt32LittleEndian(record.AsSpan(8), request.Samples);
        BinaryPrimitives.WriteInt32LittleEndian(record.AsSpan(12), request.Body.Length);
        request.Body.CopyTo(record.AsSpan(HeaderSize));
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(16), Checksum(record));
        return record;
    }

    /// <summary>Reads the header; null with a reason when it is not a complete record of <paramref name="fileLength"/> bytes.</summary>
    public static (int Samples, RequestEncoding Encoding)? ReadHeader(ReadOnlySpan<byte> header, long fileLength, out string problem)
    {
        problem = "";
        if (header.Length < HeaderSize)
        {
            problem = $"{fileLength} bytes, shorter than the {HeaderSize}-byte header";
            return null;
        }
        if (!header[..4].SequenceEqual(Magic) || header[4] != Version)
        {
            problem = "not a queue record (wrong magic or version)";
            return null;
        }
        var encoding = (RequestEncoding)header[5];
        if (!Enum.IsDefined(encoding))
        {
            problem = $"unknown encoding {header[5]}";
            return null;
        }
        var samples = BinaryPrimitives.ReadInt32LittleEndian(header[8..]);
        var length = BinaryPrimitives.ReadInt32LittleEndian(header[12..]);
        if (samples < 0 || length < 0 || HeaderSize + (long)length != fileLength)
        {
            problem = $"header announces {length} body bytes, the file holds {fileLength - HeaderSize} (a torn write)";
            return null;
        }
        return (samples, encoding);
    }

    /// <summary>The request inside a whole record, or null with a reason when the record is damaged.</summary>
    public static ExportRequest? Decode(byte[] record, out string problem)
    {
        if (ReadHeader(record, record.Length, out problem) is not { } header) return null;
        var expected = BinaryPrimitives.ReadUInt32LittleEndian(record.AsSpan(16));
        if (Checksum(record) != expected)
        {
            problem = "checksum mismatch (the record was damaged after it was written)";
            return null;
        }
        return new ExportRequest(header.Encoding, record.AsSpan(HeaderSize).ToArray(), header.Samples);
    }

    /// <summary>CRC-32C (Castagnoli, hardware-accelerated where the CPU has it) of the header fields and the body.</summary>
    private static uint Checksum(ReadOnlySpan<byte> record)
    {
        var crc = Update(0xFFFFFFFFu, record[4..16]);
        crc = Update(crc, record[HeaderSize..]);
        return ~crc;
    }

    private static uint Update(uint crc, ReadOnlySpan<byte> data)
    {
        while (data.Length >= sizeof(ulong))
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[sizeof(ulong)..];
        }
        foreach (var b in data) crc = BitOperations.Crc32C(crc, b);
        return crc;
    }
}
