using System.Globalization;

namespace Collector.Bpf.Tests.Support;

/// <summary>CPU time of a process from /proc/&lt;pid&gt;/stat, to compare sample counts with what it really used.</summary>
internal static class ProcStat
{
    /// <summary>USER_HZ, the unit of utime and stime; 100 on every Linux architecture we run on.</summary>
    private const double TicksPerSecond = 100;

    public static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // Fields after the parenthesised comm (which may contain spaces): state is field 3, utime 14, stime 15.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
    }
}
