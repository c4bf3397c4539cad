using System.Collections.Immutable;

namespace Collector.Core.Model;

/// <summary>
/// A memory mapping of a binary into a process: address range, offset into the file, file name and
/// attributes (build ids). Immutable and compared by value, so many locations share one.
/// </summary>
public sealed class Mapping : IEquatable<Mapping>
{
    private readonly int _hash;

    public Mapping(ulong memoryStart, ulong memoryLimit, ulong fileOffset, string filename, ImmutableArray<KeyValueAndUnit> attributes = default)
    {
        MemoryStart = memoryStart;
        MemoryLimit = memoryLimit;
        FileOffset = fileOffset;
        Filename = filename;
        Attributes = attributes.IsDefault ? [] : attributes;
        _hash = HashCode.Combine(memoryStart, memoryLimit, fileOffset, StringComparer.Ordinal.GetHashCode(filename), Sequences.Hash(Attributes));
    }

    public ulong MemoryStart { get; }

    public ulong MemoryLimit { get; }

    public ulong FileOffset { get; }

    public string Filename { get; }

    public ImmutableArray<KeyValueAndUnit> Attributes { get; }

    public bool Equals(Mapping? other) =>
        ReferenceEquals(this, other) ||
        (other is not null && other._hash == _hash && MemoryStart == other.MemoryStart && MemoryLimit == other.MemoryLimit &&
         FileOffset == other.FileOffset && string.Equals(Filename, other.Filename, StringComparison.Ordinal) &&
         Sequences.Equal(Attributes, other.Attributes));

    public override bool Equals(object? obj) => Equals(obj as Mapping);

    public override int GetHashCode() => _hash;

    public override string ToString() => $"{Filename} [{MemoryStart:x}-{MemoryLimit:x}) @{FileOffset:x}";
}
