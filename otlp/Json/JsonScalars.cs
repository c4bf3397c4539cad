using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Google.Protobuf;

namespace Collector.Otlp.Json;

/// <summary>
/// Reads one JSON value as a protobuf scalar, accepting what OTLP/JSON receivers must: 64-bit integers as
/// strings or numbers (and 32-bit ones too), doubles as numbers or "NaN"/"Infinity"/"-Infinity", hex ids in
/// either case, base64 standard or URL-safe with or without padding. <c>null</c> reads as the default.
/// Every failure is an <see cref="OtlpFormatException"/> naming the path.
/// </summary>
internal static class JsonScalars
{
    public static string String(ref Utf8JsonReader reader, JsonPath path) => reader.TokenType switch
    {
        JsonTokenType.Null => "",
        JsonTokenType.String => Text(ref reader, path),
        _ => throw path.Error("expected a string"),
    };

    public static bool Bool(ref Utf8JsonReader reader, JsonPath path) => reader.TokenType switch
    {
        JsonTokenType.Null or JsonTokenType.False => false,
        JsonTokenType.True => true,
        _ => throw path.Error("expected true or false"),
    };

    public static int Int32(ref Utf8JsonReader reader, JsonPath path) => Integer<int>(ref reader, path, "int32");

    public static uint UInt32(ref Utf8JsonReader reader, JsonPath path) => Integer<uint>(ref reader, path, "uint32");

    public static long Int64(ref Utf8JsonReader reader, JsonPath path) => Integer<long>(ref reader, path, "int64");

    public static ulong UInt64(ref Utf8JsonReader reader, JsonPath path) => Integer<ulong>(ref reader, path, "uint64");

    public static double Double(ref Utf8JsonReader reader, JsonPath path)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null: return 0;
            case JsonTokenType.Number:
                if (reader.TryGetDouble(out var number) && double.IsFinite(number)) return number;
                throw path.Error("number is out of range for double");
            case JsonTokenType.String:
                var text = Text(ref reader, path);
                switch (text)
                {
                    case "NaN": return double.NaN;
                    case "Infinity": return double.PositiveInfinity;
                    case "-Infinity": return double.NegativeInfinity;
                }
                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out number) && double.IsFinite(number)) return number;
                throw path.Error("expected a number, \"NaN\", \"Infinity\" or \"-Infinity\"");
            default: throw path.Error("expected a number");
        }
    }

    /// <summary>Trace, span and profile ids: hex, either case.</summary>
    public static ByteString Hex(ref Utf8JsonReader reader, JsonPath path)
    {
        if (reader.TokenType == JsonTokenType.Null) return ByteString.Empty;
        if (reader.TokenType != JsonTokenType.String) throw path.Error("expected a hex string");
        var text = Text(ref reader, path);
        if (text.Length == 0) return ByteString.Empty;
        var bytes = new byte[text.Length / 2];
        if (text.Length % 2 != 0 || Convert.FromHexString(text, bytes, out _, out _) != OperationStatus.Done)
        {
            throw path.Error("expected a hex string");
        }
        return UnsafeByteOperations.UnsafeWrap(bytes);
    }

    /// <summary>Other bytes: base64, standard or URL-safe alphabet, padding optional.</summary>
    public static ByteString Base64(ref Utf8JsonReader reader, JsonPath path)
    {
        if (reader.TokenType == JsonTokenType.Null) return ByteString.Empty;
        if (reader.TokenType != JsonTokenType.String) throw path.Error("expected a base64 string");
        var text = Text(ref reader, path);
        if (text.Length == 0) return ByteString.Empty;
        var standard = text.Replace('-', '+').Replace('_', '/');
        if (standard.Length % 4 != 0) standard = standard.PadRight(standard.Length + 4 - (standard.Length % 4), '=');
        var bytes = new byte[standard.Length / 4 * 3];
        if (!Convert.TryFromBase64String(standard, bytes, out var written)) throw path.Error("expected a base64 string");
        return ByteString.CopyFrom(bytes, 0, written);
    }

    /// <summary>The token's text; invalid UTF-8 inside a string is a format error, not an InvalidOperationException.</summary>
    public static string Text(ref Utf8JsonReader reader, JsonPath path)
    {
        try
        {
            return reader.GetString() ?? "";
        }
        catch (InvalidOperationException)
        {
            throw path.Error("string is not valid UTF-8");
        }
    }

    private static T Integer<T>(ref Utf8JsonReader reader, JsonPath path, string typeName)
        where T : struct, IBinaryInteger<T>
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return T.Zero;
            case JsonTokenType.Number:
                // Numbers are never escaped and the reader works on one contiguous span, so ValueSpan is the literal.
                var literal = reader.ValueSpan;
                if (T.TryParse(literal, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)) return value;
                // 1e3 and 2.0 are integers written another way; anything fractional is not.
                if (decimal.TryParse(literal, NumberStyles.Float, CultureInfo.InvariantCulture, out var exact))
                {
                    if (decimal.Truncate(exact) != exact) throw path.Error("expected an integer");
                    return Checked<T>(exact, path, typeName);
                }
                if (double.TryParse(literal, NumberStyles.Float, CultureInfo.InvariantCulture, out var approximate) && Math.Floor(approximate) == approximate)
                {
                    throw path.Error($"{approximate.ToString("R", CultureInfo.InvariantCulture)} is out of range for {typeName}");
                }
                throw path.Error("expected an integer");
            case JsonTokenType.String:
                var text = Text(ref reader, path);
                if (T.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value)) return value;
                if (System.Numerics.BigInteger.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
                {
                    throw path.Error($"{text} is out of range for {typeName}");
                }
                throw path.Error("expected an integer");
            default:
                throw path.Error("expected an integer");
        }
    }

    private static T Checked<T>(decimal value, JsonPath path, string typeName)
        where T : struct, IBinaryInteger<T>
    {
        try
        {
            return T.CreateChecked(value);
        }
        catch (OverflowException)
        {
            throw path.Error($"{value.ToString(CultureInfo.InvariantCulture)} is out of range for {typeName}");
        }
    }
}
