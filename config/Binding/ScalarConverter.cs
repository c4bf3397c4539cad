using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;

namespace Collector.Config.Binding;

/// <summary>
/// Turns scalar text into a value of a supported scalar type. Types come from the option property, not from
/// the YAML tag, so <c>"8080"</c>, <c>8080</c> and an env reference that expands to 8080 all bind to an int.
/// </summary>
internal static partial class ScalarConverter
{
    private static readonly Dictionary<Type, (BigInteger Min, BigInteger Max)> IntegerRanges = new()
    {
        [typeof(int)] = (int.MinValue, int.MaxValue),
        [typeof(long)] = (long.MinValue, long.MaxValue),
        [typeof(uint)] = (uint.MinValue, uint.MaxValue),
        [typeof(ulong)] = (ulong.MinValue, ulong.MaxValue),
    };

    [GeneratedRegex("^[+-]?[0-9]+$")]
    private static partial Regex IntegerText();

    public static bool IsSupported(Type type) =>
        type == typeof(string) || type == typeof(bool) || type == typeof(double) || type == typeof(TimeSpan)
        || type.IsEnum || IntegerRanges.ContainsKey(type);

    /// <summary>What a value of <paramref name="type"/> looks like, for "expected ..., got ..." messages.</summary>
    public static string Expectation(Type type)
    {
        if (type == typeof(string))
        {
            return "a string";
        }
        if (type == typeof(bool))
        {
            return "a boolean (true or false)";
        }
        if (type == typeof(double))
        {
            return "a number";
        }
        if (type == typeof(TimeSpan))
        {
            return "a duration such as 5s or 200ms";
        }
        if (type.IsEnum)
        {
            return $"one of: {string.Join(", ", Enum.GetNames(type).Select(SnakeCase.From))}";
        }
        return "an integer";
    }

    /// <summary>Converts <paramref name="text"/>, or says in <paramref name="problem"/> why it cannot.</summary>
    public static bool TryConvert(Type type, string text, out object? value, out string? problem)
    {
        value = Convert(type, text);
        problem = value is null ? Problem(type, text) : null;
        return value is not null;
    }

    private static object? Convert(Type type, string text)
    {
        if (type == typeof(string))
        {
            return text;
        }
        if (type == typeof(bool))
        {
            return bool.TryParse(text, out var flag) ? flag : null;
        }
        if (type == typeof(double))
        {
            return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number)
                ? number
                : null;
        }
        if (type == typeof(TimeSpan))
        {
            return DurationParser.TryParse(text, out var duration) ? duration : null;
        }
        if (type.IsEnum)
        {
            return ParseEnum(type, text);
        }
        if (IntegerRanges.TryGetValue(type, out var range) && IntegerText().IsMatch(text))
        {
            var integer = BigInteger.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            return integer >= range.Min && integer <= range.Max ? ToInteger(type, integer) : null;
        }
        return null;
    }

    private static object ToInteger(Type type, BigInteger integer) => Type.GetTypeCode(type) switch
    {
        TypeCode.Int32 => (int)integer,
        TypeCode.Int64 => (long)integer,
        TypeCode.UInt32 => (uint)integer,
        _ => (ulong)integer,
    };

    /// <summary>Matches the member name or its snake_case form, ignoring case: <c>json</c>, <c>Json</c>, <c>JSON</c>.</summary>
    private static object? ParseEnum(Type type, string text)
    {
        foreach (var name in Enum.GetNames(type))
        {
            if (string.Equals(name, text, StringComparison.OrdinalIgnoreCase)
                || string.Equals(SnakeCase.From(name), text, StringComparison.OrdinalIgnoreCase))
            {
                return Enum.Parse(type, name);
            }
        }
        return null;
    }

    private static string Problem(Type type, string text)
    {
        if (IntegerRanges.TryGetValue(type, out var range) && IntegerText().IsMatch(text))
        {
            return $"expected an integer between {range.Min} and {range.Max}, got \"{text}\"";
        }
        var problem = $"expected {Expectation(type)}, got \"{text}\"";
        if (type == typeof(TimeSpan) && DurationParser.IsBareNumber(text))
        {
            problem += " (add a unit: ns, us, ms, s, m or h)";
        }
        return problem;
    }
}
