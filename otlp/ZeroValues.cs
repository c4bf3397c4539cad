using Collector.Core.Model;
using WireLink = Collector.Otlp.Proto.Profiles.Link;

namespace Collector.Otlp;

/// <summary>
/// The zero value at index 0 of each dictionary table, and which model values mean "none". Links are the one
/// table whose zero has two spellings: OTLP asks for 16 and 8 zero bytes, and empty bytes mean the same.
/// </summary>
internal static class ZeroValues
{
    public const int TraceIdLength = 16;
    public const int SpanIdLength = 8;

    public static WireLink NewLink() => new()
    {
        TraceId = Google.Protobuf.ByteString.CopyFrom(new byte[TraceIdLength]),
        SpanId = Google.Protobuf.ByteString.CopyFrom(new byte[SpanIdLength]),
    };

    public static bool IsZero(WireLink link) =>
        IsZeroId(link.TraceId.Span, TraceIdLength) && IsZeroId(link.SpanId.Span, SpanIdLength);

    public static bool IsZero(Link link) =>
        IsZeroId(link.TraceId.AsSpan(), TraceIdLength) && IsZeroId(link.SpanId.AsSpan(), SpanIdLength);

    public static bool IsZero(Mapping mapping) =>
        mapping.MemoryStart == 0 && mapping.MemoryLimit == 0 && mapping.FileOffset == 0 &&
        mapping.Filename.Length == 0 && mapping.Attributes.IsEmpty;

    public static bool IsZero(Function function) =>
        function.Name.Length == 0 && function.SystemName.Length == 0 && function.Filename.Length == 0 && function.StartLine == 0;

    private static bool IsZeroId(ReadOnlySpan<byte> id, int length) =>
        (id.Length == 0 || id.Length == length) && !id.ContainsAnyExcept((byte)0);
}
