using System.Globalization;
using Collector.Bench.Symbolize;
using Collector.Processors.Elf;

// Symbolization benchmark (bench/symbolize.sh): the same addresses, spread over the function symbols of the given
// ELF files, resolved by our symbol tables, llvm-symbolizer and eu-addr2line; medians of several runs, printed as
// Markdown with the agreement of the function names.
//   symbolize-bench --count 100000 --runs 5 --llvm-symbolizer PATH --eu-addr2line PATH FILE...
var options = Options.Parse(args);
var perFile = options.Count / options.Files.Count;
var sets = options.Files.Select((file, i) => AddressSet.Generate(file, perFile + (i == 0 ? options.Count % options.Files.Count : 0), options.Seed + i)).ToList();
var total = sets.Sum(s => s.Addresses.Length);
var peers = new List<PeerTool>();
if (options.LlvmSymbolizer is not null) peers.Add(PeerTool.LlvmSymbolizer(options.LlvmSymbolizer));
if (options.EuAddr2line is not null) peers.Add(PeerTool.EuAddr2line(options.EuAddr2line));

var ours = new List<OurSymbolizer.Run[]>();
var peerRuns = peers.ToDictionary(p => p, _ => new List<Timing[]>());
var peerNames = new Dictionary<PeerTool, string?[][]>();
for (var run = 0; run < options.Runs; run++)
{
    Console.Error.WriteLine($"symbolize-bench: run {run + 1} of {options.Runs}");
    ours.Add([.. sets.Select(OurSymbolizer.Measure)]);
    foreach (var peer in peers)
    {
        var results = sets.Select(peer.Measure).ToArray();
        peerRuns[peer].Add([.. results.Select(r => r.Time)]);
        peerNames[peer] = [.. results.Select(r => r.Names)];
    }
}

// Medians over runs of the time summed over files, wall and CPU each on its own.
Timing Median(IEnumerable<Timing> runs)
{
    var all = runs.ToArray();
    double Middle(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
    return new Timing(Middle(all.Select(t => t.WallMilliseconds)), Middle(all.Select(t => t.CpuMilliseconds)));
}
Timing Sum(IEnumerable<Timing> parts) => parts.Aggregate(default(Timing), (a, b) => a + b);
string Number(double value) => value.ToString(value >= 100 ? "N0" : "N2", CultureInfo.InvariantCulture);
double Rate(double milliseconds) => total / (milliseconds / 1000);

var cached = Median(ours.Select(r => Sum(r.Select(f => f.Cached))));
var rows = new List<(string Symbolizer, string What, Timing Time)>
{
    ("ours (ElfFile + SymbolTable)", "lookups in the loaded tables (names cached)", cached),
    ("ours (ElfFile + SymbolTable)", "open + read tables + first lookup pass", Median(ours.Select(r => Sum(r.Select(f => f.Load + f.FirstPass))))),
};
rows.AddRange(peers.Select(p => (p.Label, "whole process run per file (addresses on stdin)", Median(peerRuns[p].Select(Sum)))));

Console.WriteLine($"Symbolization of {total:N0} addresses ({string.Join(", ", sets.Select(s => $"{s.Addresses.Length:N0} in {Path.GetFileName(s.Path)}"))}), medians of {options.Runs} runs:");
Console.WriteLine();
Console.WriteLine("| symbolizer | what is timed | CPU ms | addresses/s (CPU) | ours cached is × faster (CPU) | wall ms | ours cached is × faster (wall) |");
Console.WriteLine("|---|---|---:|---:|---:|---:|---:|");
foreach (var (symbolizer, what, time) in rows)
{
    Console.WriteLine($"| {symbolizer} | {what} | {Number(time.CpuMilliseconds)} | {Number(Rate(time.CpuMilliseconds))} | " +
                      $"{Number(time.CpuMilliseconds / cached.CpuMilliseconds)} | {Number(time.WallMilliseconds)} | {Number(time.WallMilliseconds / cached.WallMilliseconds)} |");
}
Console.WriteLine();
Console.WriteLine("| file | function addresses | ours cached CPU ms | ours load CPU ms | " + string.Join(" | ", peers.Select(p => p.Label + " CPU ms")) + " |");
Console.WriteLine("|---|---:|---:|---:|" + string.Concat(peers.Select(_ => "---:|")));
for (var f = 0; f < sets.Count; f++)
{
    using var file = ElfFile.Open(sets[f].Path);
    var cells = peers.Select(p => Number(Median(peerRuns[p].Select(r => r[f])).CpuMilliseconds));
    Console.WriteLine($"| {Path.GetFileName(sets[f].Path)} | {file.ReadSymbols().Count:N0} | {Number(Median(ours.Select(r => r[f].Cached)).CpuMilliseconds)} | " +
                      $"{Number(Median(ours.Select(r => r[f].Load)).CpuMilliseconds)} | {string.Join(" | ", cells)} |");
}
Console.WriteLine();
foreach (var peer in peers) Console.WriteLine(NameAgreement.Describe(peer.Label, sets, ours[^1], peerNames[peer]));

internal sealed record Options(IReadOnlyList<string> Files, int Count, int Runs, int Seed, string? LlvmSymbolizer, string? EuAddr2line)
{
    public static Options Parse(string[] args)
    {
        var files = new List<string>();
        var (count, runs, seed) = (100_000, 5, 4);
        string? llvm = null, eu = null;
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--count": count = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--runs": runs = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--seed": seed = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--llvm-symbolizer": llvm = Next(); break;
                case "--eu-addr2line": eu = Next(); break;
                default: files.Add(args[i]); break;
            }
        }
        if (files.Count == 0 || count < files.Count || runs < 1) throw new ArgumentException("usage: symbolize-bench [--count N] [--runs N] [--seed N] [--llvm-symbolizer PATH] [--eu-addr2line PATH] FILE...");
        return new Options(files, count, runs, seed, llvm, eu);
    }
}
