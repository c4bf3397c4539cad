namespace Collector.Otlp;

/// <summary>
/// OTLP input that cannot be turned into the model: malformed bytes or JSON, or an index outside its table.
/// The message names the offending field by its path, e.g.
/// <c>resourceProfiles[0].scopeProfiles[0].profiles[0].samples[3].stackIndex: 17 is out of range (stackTable has 5 entries)</c>.
/// </summary>
public sealed class OtlpFormatException : Exception
{
    public OtlpFormatException(string message) : base(message) { }

    public OtlpFormatException(string message, Exception inner) : base(message, inner) { }
}
