namespace Collector.Processors.Filter;

/// <summary>A resource attribute to match: <see cref="Key"/> exactly, <see cref="Value"/> as a pattern on the value's text.</summary>
public sealed class ResourceAttributeMatch
{
    public string Key { get; set; } = "";

    /// <summary>Matched against the value as text (integers in decimal, booleans as true/false). Empty: any value.</summary>
    public string Value { get; set; } = "";
}
