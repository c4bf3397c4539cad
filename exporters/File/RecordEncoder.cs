using System.Buffers.Binary;
using Collector.Core.Model;
using Collector.Otlp;
using Google.Protobuf;

namespace Collector.Exporters.File;

/// <summary>
/// Turns a batch into one framed record: its own OTLP export (fresh dictionary, so every record stands alone),
/// as a JSON line or as a length-prefixed protobuf message; or the batch's stacks as folded lines.
/// </summary>
internal static class RecordEncoder
{
    public static byte[] Encode(ProfileBatch batch, FileFormat format)
    {
        if (format == FileFormat.Folded) return FoldedEncoder.Encode(batch);
        var request = ModelToOtlp.ToRequest(batch);
        if (format == FileFormat.Json) return OtlpJson.SerializeLine(request);

        var size = request.CalculateSize();
        var record = new byte[sizeof(uint) + size];
        BinaryPrimitives.WriteUInt32BigEndian(record, (uint)size);
        request.WriteTo(record.AsSpan(sizeof(uint)));
        return record;
    }
}
