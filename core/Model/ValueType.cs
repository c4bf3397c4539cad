namespace Collector.Core.Model;

/// <summary>What a sample value or the period measures, e.g. (<c>samples</c>, <c>count</c>) or (<c>cpu</c>, <c>nanoseconds</c>).</summary>
public sealed record ValueType(string Type, string Unit)
{
    public static readonly ValueType Samples = new("samples", "count");

    public static readonly ValueType CpuNanoseconds = new("cpu", "nanoseconds");

    public override string ToString() => $"{Type}/{Unit}";
}
