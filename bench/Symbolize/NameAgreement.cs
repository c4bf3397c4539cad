using System.Globalization;
using Collector.Processors.Elf;

namespace Collector.Bench.Symbolize;

/// <summary>
/// Compares our function names with a peer's for every address: identical, an alias (the peer's name is another
/// symbol at the start address of ours, per nm: the two tools chose differently among aliases), or different.
/// </summary>
internal static class NameAgreement
{
    public static string Describe(string peer, IReadOnlyList<AddressSet> sets, OurSymbolizer.Run[] ours, string?[][] theirs)
    {
        var (identical, alias, different, theyMissed, weMissed, total) = (0, 0, 0, 0, 0, 0);
        var examples = new List<string>();
        for (var f = 0; f < sets.Count; f++)
        {
            using var file = ElfFile.Open(sets[f].Path);
            var table = file.ReadSymbols();
            var addressesByName = NmAddresses(sets[f].Path);
            for (var i = 0; i < sets[f].Addresses.Length; i++)
            {
                total++;
                var (our, their) = (ours[f].Names[i], theirs[f][i]);
                if (our is null) weMissed++;
                else if (their is null) theyMissed++;
                else if (our == their) identical++;
                else if (table.TryFind(sets[f].Addresses[i], out var symbol) && addressesByName.TryGetValue(their, out var starts) && starts.Contains(symbol.Start)) alias++;
                else
                {
                    different++;
                    if (examples.Count < 3) examples.Add($"0x{sets[f].Addresses[i]:x}: ours {our}, {peer} {their}");
                }
            }
        }
        string Share(int count) => (100.0 * count / total).ToString("F2", CultureInfo.InvariantCulture) + "%";
        return $"Names vs {peer} ({total:N0} addresses): {identical:N0} identical ({Share(identical)}), {alias:N0} an alias at the same start " +
               $"({Share(alias)}), {different:N0} different, {theyMissed:N0} unresolved by {peer}, {weMissed:N0} unresolved by us." +
               (examples.Count > 0 ? " e.g. " + string.Join("; ", examples) : "");
    }

    /// <summary>name → start addresses, from nm's defined symbols of both tables (versions stripped).</summary>
    private static Dictionary<string, HashSet<ulong>> NmAddresses(string path)
    {
        var result = new Dictionary<string, HashSet<ulong>>(StringComparer.Ordinal);
        foreach (var table in new[] { "--dynamic", "--debug-syms" })
        {
            var start = new System.Diagnostics.ProcessStartInfo("nm") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[] { table, "--defined-only", path }) start.ArgumentList.Add(argument);
            using var process = System.Diagnostics.Process.Start(start)!;
            var error = process.StandardError.ReadToEndAsync();
            foreach (var line in process.StandardOutput.ReadToEnd().Split('\n'))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length != 3) continue;
                var name = fields[2].Split('@')[0];
                if (!result.TryGetValue(name, out var set)) result[name] = set = [];
                set.Add(ulong.Parse(fields[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            }
            process.WaitForExit();
            _ = error.Result;
        }
        return result;
    }
}
