using System.Collections.Immutable;

namespace Collector.Core.Model;

public enum AnyValueKind
{
    Empty,
    String,
    Bool,
    Int,
    Double,
    Array,
    KeyValueList,
    Bytes,
}

/// <summary>
/// An attribute value (OTLP <c>AnyValue</c>), immutable and compared by value.
/// <see cref="StringByReference"/> records that the producer sent the string through the profiles string
/// table (<c>string_value_strindex</c>), so re-encoding keeps that form.
/// </summary>
public sealed class AnyValue : IEquatable<AnyValue>
{
    public static readonly AnyValue Empty = new(AnyValueKind.Empty);

    private readonly int _hash;

    private AnyValue(AnyValueKind kind, string? text = null, long integer = 0, double number = 0, bool flag = false,
        ImmutableArray<byte> bytes = default, ImmutableArray<AnyValue> array = default,
        ImmutableArray<KeyValue> keyValues = default, bool byReference = false)
    {
        Kind = kind;
        StringValue = text ?? "";
        IntValue = integer;
        DoubleValue = number;
        BoolValue = flag;
        BytesValue = bytes.IsDefault ? [] : bytes;
        ArrayValue = array.IsDefault ? [] : array;
        KeyValueListValue = keyValues.IsDefault ? [] : keyValues;
        StringByReference = byReference;
        _hash = ComputeHash();
    }

    public AnyValueKind Kind { get; }

    public string StringValue { get; }

    public bool StringByReference { get; }

    public bool BoolValue { get; }

    public long IntValue { get; }

    public double DoubleValue { get; }

    public ImmutableArray<byte> BytesValue { get; }

    public ImmutableArray<AnyValue> ArrayValue { get; }

    public ImmutableArray<KeyValue> KeyValueListValue { get; }

    public static AnyValue String(string value, bool byReference = false) => new(AnyValueKind.String, text: value, byReference: byReference);

    public static AnyValue Bool(bool value) => new(AnyValueKind.Bool, flag: value);

    public static AnyValue Int(long value) => new(AnyValueKind.Int, integer: value);

    public static AnyValue Double(double value) => new(AnyValueKind.Double, number: value);

    public static AnyValue Bytes(ImmutableArray<byte> value) => new(AnyValueKind.Bytes, bytes: value);

    public static AnyValue Array(ImmutableArray<AnyValue> values) => new(AnyValueKind.Array, array: values);

    public static AnyValue KeyValueList(ImmutableArray<KeyValue> values) => new(AnyValueKind.KeyValueList, keyValues: values);

    public bool Equals(AnyValue? other)
    {
        if (ReferenceEquals(this, other)) return true;
        if (other is null || other._hash != _hash || other.Kind != Kind) return false;
        return Kind switch
        {
            AnyValueKind.Empty => true,
            AnyValueKind.String => StringByReference == other.StringByReference && string.Equals(StringValue, other.StringValue, StringComparison.Ordinal),
            AnyValueKind.Bool => BoolValue == other.BoolValue,
            AnyValueKind.Int => IntValue == other.IntValue,
            // Bitwise, so NaN equals itself and interning stays consistent.
            AnyValueKind.Double => BitConverter.DoubleToInt64Bits(DoubleValue) == BitConverter.DoubleToInt64Bits(other.DoubleValue),
            AnyValueKind.Bytes => BytesValue.AsSpan().SequenceEqual(other.BytesValue.AsSpan()),
            AnyValueKind.Array => Sequences.Equal(ArrayValue, other.ArrayValue),
            AnyValueKind.KeyValueList => Sequences.Equal(KeyValueListValue, other.KeyValueListValue),
            _ => false,
        };
    }

    public override bool Equals(object? obj) => Equals(obj as AnyValue);

    public override int GetHashCode() => _hash;

    public override string ToString() => Kind switch
    {
        AnyValueKind.Empty => "<empty>",
        AnyValueKind.String => StringValue,
        AnyValueKind.Bool => BoolValue ? "true" : "false",
        AnyValueKind.Int => IntValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
        AnyValueKind.Double => DoubleValue.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        AnyValueKind.Bytes => Convert.ToBase64String(BytesValue.AsSpan()),
        AnyValueKind.Array => "[" + string.Join(", ", ArrayValue) + "]",
        AnyValueKind.KeyValueList => "{" + string.Join(", ", KeyValueListValue) + "}",
        _ => "?",
    };

    private int ComputeHash()
    {
        var hash = new HashCode();
        hash.Add(Kind);
        switch (Kind)
        {
            case AnyValueKind.String: hash.Add(StringValue, StringComparer.Ordinal); hash.Add(StringByReference); break;
            case AnyValueKind.Bool: hash.Add(BoolValue); break;
            case AnyValueKind.Int: hash.Add(IntValue); break;
            case AnyValueKind.Double: hash.Add(BitConverter.DoubleToInt64Bits(DoubleValue)); break;
            case AnyValueKind.Bytes: hash.AddBytes(BytesValue.AsSpan()); break;
            case AnyValueKind.Array: hash.Add(Sequences.Hash(ArrayValue)); break;
            case AnyValueKind.KeyValueList: hash.Add(Sequences.Hash(KeyValueListValue)); break;
        }
        return hash.ToHashCode();
    }
}
