namespace Collector.Core.Model;

/// <summary>
/// A function as OTLP describes it: display name (demangled), system name (as in the symbol table),
/// source file and first line. Immutable and compared by value.
/// </summary>
public sealed record Function(string Name, string SystemName = "", string Filename = "", long StartLine = 0)
{
    public override string ToString() => Name.Length > 0 ? Name : SystemName;
}
