using System.Diagnostics;

namespace Collector.Bench.Symbolize;

/// <summary>
/// Wall-clock and CPU time of a piece of work. CPU time is the figure that survives a busy machine (other
/// processes stretch wall time, not the CPU time a symbolizer needs), so the tables show both.
/// </summary>
internal readonly record struct Timing(double WallMilliseconds, double CpuMilliseconds)
{
    public static Timing operator +(Timing left, Timing right) =>
        new(left.WallMilliseconds + right.WallMilliseconds, left.CpuMilliseconds + right.CpuMilliseconds);

    /// <summary>Times <paramref name="work"/> in this process (single-threaded work: process CPU time ≈ its thread's).</summary>
    public static Timing Of(Action work)
    {
        var cpu = Environment.CpuUsage.TotalTime;
        var clock = Stopwatch.StartNew();
        work();
        return new Timing(clock.Elapsed.TotalMilliseconds, (Environment.CpuUsage.TotalTime - cpu).TotalMilliseconds);
    }
}
