using Collector.Processors.Elf;

namespace Collector.Bench.Symbolize;

/// <summary>Our side: loading a file's symbol table, then resolving every address against the loaded (cached) table.</summary>
internal static class OurSymbolizer
{
    /// <summary>Passes over the loaded table per run; the run reports the pass of median CPU time.</summary>
    private const int CachedPasses = 5;

    public sealed record Run(Timing Load, Timing FirstPass, Timing Cached, string?[] Names);

    public static Run Measure(AddressSet set)
    {
        SymbolTable table = SymbolTable.Empty;
        var load = Timing.Of(() =>
        {
            using var file = ElfFile.Open(set.Path);
            table = file.ReadSymbols();
        });

        // The first pass decodes each name once; later passes are what a long-running symbolizer does.
        var names = new string?[set.Addresses.Length];
        var firstPass = Timing.Of(() => Resolve(table, set.Addresses, names));
        var passes = new Timing[CachedPasses];
        for (var pass = 0; pass < passes.Length; pass++) passes[pass] = Timing.Of(() => Resolve(table, set.Addresses, names));
        Array.Sort(passes, (a, b) => a.CpuMilliseconds.CompareTo(b.CpuMilliseconds));
        return new Run(load, firstPass, passes[passes.Length / 2], names);
    }

    private static void Resolve(SymbolTable table, ulong[] addresses, string?[] names)
    {
        for (var i = 0; i < addresses.Length; i++) names[i] = table.TryFind(addresses[i], out var symbol) ? symbol.Name : null;
    }
}
