using System.Globalization;

namespace Collector.Bpf;

/// <summary>Reads which CPUs are online: one sampling event is opened per online CPU.</summary>
public static class OnlineCpus
{
    public const string Path = "/sys/devices/system/cpu/online";

    public static IReadOnlyList<int> Read() => Parse(File.ReadAllText(Path));

    /// <summary>Parses the kernel's CPU list format, e.g. <c>0-3,6,8-9</c>.</summary>
    public static IReadOnlyList<int> Parse(string list)
    {
        ArgumentNullException.ThrowIfNull(list);
        var cpus = new List<int>();
        foreach (var part in list.Trim().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var dash = part.IndexOf('-', StringComparison.Ordinal);
            var first = int.Parse(dash < 0 ? part : part[..dash], NumberStyles.None, CultureInfo.InvariantCulture);
            var last = dash < 0 ? first : int.Parse(part[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture);
            if (last < first)
            {
                throw new FormatException($"\"{part}\" is not a CPU range");
            }
            for (var cpu = first; cpu <= last; cpu++)
            {
                cpus.Add(cpu);
            }
        }
        return cpus;
    }
}
