using System.Buffers.Binary;
using System.IO.Compression;

namespace Collector.TestKit;

/// <summary>How a test frames a message.</summary>
public enum GrpcCompression
{
    Identity,
    Gzip,
}

/// <summary>
/// gRPC's wire as tests need to see it: frames made by hand (also malformed ones, which no library client sends),
/// and a test backend's view of a request body. The collector itself leaves all of this to Grpc.AspNetCore and
/// Grpc.Net.Client.
/// </summary>
public static class GrpcWire
{
    public const int HeaderSize = 5;
    public const string ContentType = "application/grpc";
    public const string EncodingHeader = "grpc-encoding";
    public const string StatusHeader = "grpc-status";
    public const string MessageHeader = "grpc-message";
    public const string StatusDetailsHeader = "grpc-status-details-bin";
    public const string ExportPath = "/opentelemetry.proto.collector.profiles.v1development.ProfilesService/Export";

    /// <summary>One length-prefixed message, gzipped when asked.</summary>
    public static byte[] Frame(byte[] message, bool gzip = false)
    {
        var payload = gzip ? Gzip(message) : message;
        var frame = new byte[HeaderSize + payload.Length];
        WriteHeader(frame, gzip, payload.Length);
        payload.CopyTo(frame, HeaderSize);
        return frame;
    }

    public static byte[] Frame(byte[] message, GrpcCompression compression) => Frame(message, compression == GrpcCompression.Gzip);

    public static void WriteHeader(Span<byte> frame, bool compressed, int length)
    {
        frame[0] = compressed ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteInt32BigEndian(frame[1..], length);
    }

    /// <summary>The one message of a unary request body; throws <see cref="InvalidDataException"/> for anything else.</summary>
    public static byte[] ReadSingle(byte[] body, string? encoding)
    {
        if (body.Length < HeaderSize) throw new InvalidDataException("shorter than a frame header");
        var length = BinaryPrimitives.ReadInt32BigEndian(body.AsSpan(1));
        if (body.Length != HeaderSize + length) throw new InvalidDataException($"frame of {length} bytes in a body of {body.Length}");
        var payload = body[HeaderSize..];
        return body[0] switch
        {
            0 => payload,
            1 when encoding == "gzip" => Gunzip(payload),
            _ => throw new InvalidDataException($"compressed flag {body[0]} with grpc-encoding \"{encoding}\""),
        };
    }

    /// <summary>grpc-message is percent-encoded UTF-8.</summary>
    public static string EncodeMessage(string message) => Uri.EscapeDataString(message);

    public static string DecodeMessage(string? header) => header is null ? "" : Uri.UnescapeDataString(header);

    public static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(bytes);
        return output.ToArray();
    }

    private static byte[] Gunzip(byte[] bytes)
    {
        using var input = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }
}
