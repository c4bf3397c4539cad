namespace Collector.Processors.Symbolization;

/// <summary>Where a frame's name came from; the label values of the symbolized-frames metric.</summary>
internal enum SymbolSource
{
    Kernel,
    Elf,
    PerfMap,
}

internal static class SymbolSourceNames
{
    public static string Label(this SymbolSource source) => source switch
    {
        SymbolSource.Kernel => "kernel",
        SymbolSource.Elf => "elf",
        _ => "perf_map",
    };
}
