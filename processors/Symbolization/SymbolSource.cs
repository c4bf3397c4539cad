namespace Collector.Processors.Symbolization;

/// <summary>Where a frame's name came from; the label values of the symbolized-frames metric.</summary>
internal enum SymbolSource
{
    Kernel,
    Elf,
    PerfMap,
    ReadyToRun,
    Cpython,
}

internal static class SymbolSourceNames
{
    public static string Label(this SymbolSource source) => source switch
    {
        SymbolSource.Kernel => "kernel",
        SymbolSource.Elf => "elf",
        SymbolSource.ReadyToRun => "ready_to_run",
        SymbolSource.Cpython => "cpython",
        _ => "perf_map",
    };
}
