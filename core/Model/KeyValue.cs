namespace Collector.Core.Model;

/// <summary>
/// A resource or scope attribute (OTLP common <c>KeyValue</c>). <see cref="Value"/> is null when the producer
/// sent no value at all, which OTLP distinguishes from an empty value. <see cref="KeyByReference"/> keeps the
/// producer's choice of <c>key_strindex</c> over <c>key</c>.
/// </summary>
public sealed record KeyValue(string Key, AnyValue? Value, bool KeyByReference = false)
{
    public static KeyValue Of(string key, string value) => new(key, AnyValue.String(value));

    public static KeyValue Of(string key, long value) => new(key, AnyValue.Int(value));

    public override string ToString() => $"{Key}={Value}";
}
