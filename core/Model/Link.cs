using System.Collections.Immutable;

namespace Collector.Core.Model;

/// <summary>The trace (16 bytes) and span (8 bytes) a sample was taken in. Immutable and compared by value.</summary>
public sealed class Link : IEquatable<Link>
{
    private readonly int _hash;

    public Link(ImmutableArray<byte> traceId, ImmutableArray<byte> spanId)
    {
        TraceId = traceId.IsDefault ? [] : traceId;
        SpanId = spanId.IsDefault ? [] : spanId;
        var hash = new HashCode();
        hash.AddBytes(TraceId.AsSpan());
        hash.Add(TraceId.Length);
        hash.AddBytes(SpanId.AsSpan());
        _hash = hash.ToHashCode();
    }

    public ImmutableArray<byte> TraceId { get; }

    public ImmutableArray<byte> SpanId { get; }

    public bool Equals(Link? other) =>
        ReferenceEquals(this, other) ||
        (other is not null && other._hash == _hash &&
         TraceId.AsSpan().SequenceEqual(other.TraceId.AsSpan()) && SpanId.AsSpan().SequenceEqual(other.SpanId.AsSpan()));

    public override bool Equals(object? obj) => Equals(obj as Link);

    public override int GetHashCode() => _hash;

    public override string ToString() => $"{Convert.ToHexStringLower(TraceId.AsSpan())}/{Convert.ToHexStringLower(SpanId.AsSpan())}";
}
