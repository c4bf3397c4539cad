namespace Collector.Core.Model;

/// <summary>
/// An attribute of a profile, sample, location or mapping (an entry of the OTLP attribute table), with an
/// optional UCUM unit ("" when implicit). Immutable and compared by value, so exports can deduplicate it.
/// </summary>
public sealed record KeyValueAndUnit(string Key, AnyValue? Value, string Unit = "")
{
    /// <summary>The hash, once computed (0 = not yet); lazily, for the reasons given on <see cref="Function"/>.</summary>
    private int _hash;

    private KeyValueAndUnit(KeyValueAndUnit original)
    {
        Key = original.Key;
        Value = original.Value;
        Unit = original.Unit;
    }

    public static KeyValueAndUnit Of(string key, string value) => new(key, AnyValue.String(value));

    public static KeyValueAndUnit Of(string key, long value) => new(key, AnyValue.Int(value));

    public bool Equals(KeyValueAndUnit? other) =>
        ReferenceEquals(this, other) ||
        (other is not null && string.Equals(Key, other.Key, StringComparison.Ordinal) && Equals(Value, other.Value) &&
         string.Equals(Unit, other.Unit, StringComparison.Ordinal));

    public override int GetHashCode()
    {
        var hash = _hash;
        if (hash == 0)
        {
            hash = HashCode.Combine(StringComparer.Ordinal.GetHashCode(Key), Value, StringComparer.Ordinal.GetHashCode(Unit));
            if (hash == 0) hash = 1;
            _hash = hash;
        }
        return hash;
    }

    public override string ToString() => Unit.Length == 0 ? $"{Key}={Value}" : $"{Key}={Value} {Unit}";
}
