namespace Collector.Core.Model;

/// <summary>Addresses [Start, End) of one function's machine code in a process; empty when End is not above Start.</summary>
public readonly record struct CodeRange(ulong Start, ulong End)
{
    public bool IsEmpty => End <= Start;

    public bool Contains(ulong address) => address >= Start && address < End;
}
