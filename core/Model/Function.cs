namespace Collector.Core.Model;

/// <summary>
/// A function as OTLP describes it: display name (demangled), system name (as in the symbol table),
/// source file and first line. Immutable and compared by value.
/// </summary>
public sealed record Function(string Name, string SystemName = "", string Filename = "", long StartLine = 0)
{
    /// <summary>
    /// The hash, once computed (0 = not yet): an export hashes each function several times (its locations' hashes,
    /// the dictionary's lookups), and each time over three strings. Computed lazily rather than in a constructor so
    /// that <c>with</c>, which copies through <see cref="Function(Function)"/>, can never carry a stale one.
    /// </summary>
    private int _hash;

    private Function(Function original)
    {
        Name = original.Name;
        SystemName = original.SystemName;
        Filename = original.Filename;
        StartLine = original.StartLine;
    }

    public bool Equals(Function? other) =>
        ReferenceEquals(this, other) ||
        (other is not null && StartLine == other.StartLine && string.Equals(Name, other.Name, StringComparison.Ordinal) &&
         string.Equals(SystemName, other.SystemName, StringComparison.Ordinal) && string.Equals(Filename, other.Filename, StringComparison.Ordinal));

    public override int GetHashCode()
    {
        var hash = _hash;
        if (hash == 0)
        {
            hash = HashCode.Combine(StringComparer.Ordinal.GetHashCode(Name), StringComparer.Ordinal.GetHashCode(SystemName),
                StringComparer.Ordinal.GetHashCode(Filename), StartLine);
            // 0 marks "not computed": a hash that happens to be 0 is stored as 1, so every call returns the same value.
            if (hash == 0) hash = 1;
            _hash = hash;
        }
        return hash;
    }

    public override string ToString() => Name.Length > 0 ? Name : SystemName;
}
