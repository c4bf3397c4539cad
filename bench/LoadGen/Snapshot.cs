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

internal sealed record Arguments(string CollectorDll, int Seconds, int WarmupSeconds, int Concurrency, int SamplesPerRequest, string? Cpu, int ClockTicks)
{
    public static Arguments Parse(string[] args)
    {
        string Get(string name, string fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }
        var cpu = Get("--cpu", "");
        return new Arguments(
            Get("--collector", ""),
            int.Parse(Get("--seconds", "15"), CultureInfo.InvariantCulture),
            int.Parse(Get("--warmup", "5"), CultureInfo.InvariantCulture),
            int.Parse(Get("--concurrency", "8"), CultureInfo.InvariantCulture),
            int.Parse(Get("--samples", "1000"), CultureInfo.InvariantCulture),
            cpu.Length == 0 ? null : cpu,
            int.Parse(Get("--clock-ticks", "100"), CultureInfo.InvariantCulture));
    }
}
