using System.Globalization;

namespace Collector.Bench;

/// <summary>The command line of the load generator; see bench/gateway.sh for what sets it.</summary>
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
            int.Parse(Get("--warmup", "60"), CultureInfo.InvariantCulture),
            int.Parse(Get("--concurrency", "8"), CultureInfo.InvariantCulture),
            int.Parse(Get("--samples", "1000"), CultureInfo.InvariantCulture),
            cpu.Length == 0 ? null : cpu,
            int.Parse(Get("--clock-ticks", "100"), CultureInfo.InvariantCulture));
    }
}
