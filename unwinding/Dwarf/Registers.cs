namespace Collector.Unwinding.Dwarf;

/// <summary>DWARF register numbers of the x86-64 psABI that the unwind rows speak about.</summary>
internal static class Registers
{
    public const int Rbp = 6;
    public const int Rsp = 7;
    public const int ReturnAddress = 16;
}
