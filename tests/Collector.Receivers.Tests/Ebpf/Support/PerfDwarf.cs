using System.Globalization;

namespace Collector.Receivers.Tests.Ebpf.Support;

/// <summary>The reference: <c>perf record --call-graph dwarf</c> on the same binary, its stacks named by the binary's own symbols.</summary>
internal static class PerfDwarf
{
    /// <summary>Each sample's frames inside the program (perf's names that <paramref name="isOwn"/> accepts), leaf first.</summary>
    public static List<string[]> Record(string binary, string directory, double seconds, int frequency, Func<string, bool> isOwn, params string[] arguments)
    {
        var data = Path.Combine(directory, "perf.data");
        CompiledWorkload.Run("perf", ["record", "-q", "-F", frequency.ToString(CultureInfo.InvariantCulture), "--call-graph", "dwarf", "-o", data, "--",
            binary, .. arguments.Length > 0 ? arguments : [seconds.ToString(CultureInfo.InvariantCulture)]], directory);
        var script = CompiledWorkload.Run("perf", ["script", "-i", data, "-F", "ip,sym", "--no-inline", "--demangle"], directory);
        var chains = new List<string[]>();
        var current = new List<string>();
        var first = true;
        foreach (var line in script.Split('\n'))
        {
            var text = line.Trim();
            if (text.Length == 0)
            {
                if (current.Count > 0 || !first)
                {
                    chains.Add([.. current]);
                }
                current.Clear();
                first = true;
                continue;
            }
            // "address symbol"; perf names a return address by the call before it, as we do.
            var space = text.IndexOf(' ', StringComparison.Ordinal);
            if (space > 0 && isOwn(text[(space + 1)..]))
            {
                current.Add(text[(space + 1)..]);
            }
            first = false;
        }
        if (current.Count > 0)
        {
            chains.Add([.. current]);
        }
        return chains;
    }
}
