using System.Globalization;

namespace Collector.Bench;

/// <summary>Counters at one moment of the run.</summary>
internal sealed record Snapshot(DateTime At, long CpuTicks, long SinkSamples, long SinkRequests, int SinkLatencyCount, int AckCount)
{
    public static Snapshot Take(int pid, Sink sink, Load load) =>
        new(DateTime.UtcNow, ReadCpuTicks(pid), sink.Samples, sink.Requests, sink.LatenciesMs.Count, load.AckCount);

    /// <summary>utime + stime of the process, in clock ticks (/proc/PID/stat fields 14 and 15).</summary>
    private static long ReadCpuTicks(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }

    /// <summary>VmHWM: the peak resident set size.</summary>
    public static long PeakRssBytes(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
            }
        }
        return 0;
    }
}
