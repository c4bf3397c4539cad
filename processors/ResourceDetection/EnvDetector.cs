using System.Globalization;
using System.Text;
using Collector.Core.Model;

namespace Collector.Processors.ResourceDetection;

/// <summary>
/// The <c>env</c> detector: <c>OTEL_RESOURCE_ATTRIBUTES</c>, <c>key1=value1,key2=value2</c>, values trimmed and
/// percent-decoded as the OpenTelemetry specification says (a <c>+</c> stays a plus). Every value is a string.
/// As the specification asks, a variable with any malformed entry is discarded whole, with the reason.
/// </summary>
internal static class EnvDetector
{
    public const string Variable = "OTEL_RESOURCE_ATTRIBUTES";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The attributes, or an empty list and a <paramref name="problem"/> saying why the variable was discarded.</summary>
    public static List<KeyValue> Detect(DetectionSources sources, out string? problem) => Parse(sources.EnvironmentVariable(Variable), out problem);

    internal static List<KeyValue> Parse(string? text, out string? problem)
    {
        problem = null;
        var attributes = new List<KeyValue>();
        if (string.IsNullOrWhiteSpace(text)) return attributes;
        var entries = text.Split(',');
        for (var i = 0; i < entries.Length; i++)
        {
            var entry = entries[i].Trim();
            if (entry.Length == 0) continue; // "a=1,,b=2" and a trailing comma say nothing wrong
            var equals = entry.IndexOf('=', StringComparison.Ordinal);
            var key = equals < 0 ? "" : entry[..equals].Trim();
            if (key.Length == 0)
            {
                problem = $"entry {i} \"{entry}\" is not key=value";
                return [];
            }
            if (!TryPercentDecode(entry[(equals + 1)..].Trim(), out var value))
            {
                problem = $"entry {i} \"{entry}\" has a value that is not percent-encoded UTF-8";
                return [];
            }
            // A repeated key: the last one counts, as when the variable is read into a map.
            attributes.RemoveAll(a => a.Key == key);
            attributes.Add(KeyValue.Of(key, value));
        }
        return attributes;
    }

    private static bool TryPercentDecode(string text, out string value)
    {
        value = text;
        if (!text.Contains('%', StringComparison.Ordinal)) return true;
        var bytes = new List<byte>(text.Length);
        var literalStart = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '%') continue;
            // Literal text between escapes is encoded as a whole, so characters outside the BMP stay intact.
            bytes.AddRange(Encoding.UTF8.GetBytes(text[literalStart..i]));
            if (i + 2 >= text.Length || !byte.TryParse(text.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var octet)) return false;
            bytes.Add(octet);
            i += 2;
            literalStart = i + 1;
        }
        bytes.AddRange(Encoding.UTF8.GetBytes(text[literalStart..]));
        try
        {
            value = StrictUtf8.GetString([.. bytes]);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }
}
