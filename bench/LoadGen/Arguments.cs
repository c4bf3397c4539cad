using System.Globalization;

namespace Collector.Bench;

/// <summary>The command line of the load generator; see bench/gateway.sh for what sets it.</summary>
/// <param name="Rate">Samples/s offered in open loop (0: closed loop, each stream sends when answered).</param>
/// <param name="LimitMib">memory_limiter's limit_mib in the collector's pipeline (0: no memory_limiter).</param>
/// <param name="SpikeLimitMib">memory_limiter's spike_limit_mib (0: its default, 20% of the limit).</param>
/// <param name="CheckInterval">memory_limiter's check_interval (the Collector recommends 1s).</param>
internal sealed record Arguments(string CollectorDll, int Seconds, int WarmupSeconds, int Concurrency, int SamplesPerRequest, string? Cpu, int ClockTicks,
    long Rate, int LimitMib, int SpikeLimitMib, string CheckInterval)
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
            int.Parse(Get("--clock-ticks", "100"), CultureInfo.InvariantCulture),
            long.Parse(Get("--rate", "0"), CultureInfo.InvariantCulture),
            int.Parse(Get("--limit-mib", "0"), CultureInfo.InvariantCulture),
            int.Parse(Get("--spike-limit-mib", "0"), CultureInfo.InvariantCulture),
            Get("--check-interval", "1s"));
    }

    /// <summary>The spike memory_limiter uses: the one given, or its default of 20% of the limit.</summary>
    public int EffectiveSpikeMib => SpikeLimitMib > 0 ? SpikeLimitMib : LimitMib / 5;
}
