namespace Collector.Core.Model;

/// <summary>
/// An attribute of a profile, sample, location or mapping (an entry of the OTLP attribute table), with an
/// optional UCUM unit ("" when implicit). Immutable and compared by value, so exports can deduplicate it.
/// </summary>
public sealed record KeyValueAndUnit(string Key, AnyValue? Value, string Unit = "")
{
    public static KeyValueAndUnit Of(string key, string value) => new(key, AnyValue.String(value));

    public static KeyValueAndUnit Of(string key, long value) => new(key, AnyValue.Int(value));

    public override string ToString() => Unit.Length == 0 ? $"{Key}={Value}" : $"{Key}={Value} {Unit}";
}
