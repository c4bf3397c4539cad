using System.Collections.Immutable;

namespace Collector.Core.Model;

/// <summary>A call stack, leaf frame first. Immutable and compared by value; build one per distinct stack and share it.</summary>
public sealed class Stack : IEquatable<Stack>
{
    public static readonly Stack Empty = new([]);

    private readonly int _hash;

    public Stack(ImmutableArray<Location> locations)
    {
        Locations = locations.IsDefault ? [] : locations;
        _hash = Sequences.Hash(Locations);
    }

    public ImmutableArray<Location> Locations { get; }

    public bool Equals(Stack? other) =>
        ReferenceEquals(this, other) || (other is not null && other._hash == _hash && Sequences.Equal(Locations, other.Locations));

    public override bool Equals(object? obj) => Equals(obj as Stack);

    public override int GetHashCode() => _hash;

    public override string ToString() => string.Join(" <- ", Locations);
}
