using System.Collections.Immutable;

namespace Collector.Core.Model;

/// <summary>
/// One frame of a stack: an address, the mapping it falls in (null when unknown), the function lines that
/// name it (the last line is the outermost caller when frames were inlined; none when unsymbolized) and
/// attributes such as <c>profile.frame.type</c>. Immutable and compared by value.
/// </summary>
public sealed class Location : IEquatable<Location>
{
    private readonly int _hash;

    public Location(Mapping? mapping, ulong address, ImmutableArray<Line> lines = default, ImmutableArray<KeyValueAndUnit> attributes = default)
    {
        Mapping = mapping;
        Address = address;
        Lines = lines.IsDefault ? [] : lines;
        Attributes = attributes.IsDefault ? [] : attributes;
        _hash = HashCode.Combine(mapping, address, Sequences.Hash(Lines), Sequences.Hash(Attributes));
    }

    public Mapping? Mapping { get; }

    public ulong Address { get; }

    public ImmutableArray<Line> Lines { get; }

    public ImmutableArray<KeyValueAndUnit> Attributes { get; }

    public bool Equals(Location? other) =>
        ReferenceEquals(this, other) ||
        (other is not null && other._hash == _hash && Address == other.Address && Equals(Mapping, other.Mapping) &&
         Sequences.Equal(Lines, other.Lines) && Sequences.Equal(Attributes, other.Attributes));

    public override bool Equals(object? obj) => Equals(obj as Location);

    public override int GetHashCode() => _hash;

    public override string ToString() =>
        Lines.Length > 0 && Lines[^1].Function is { } function ? function.ToString() : $"0x{Address:x}";
}
