using System.Globalization;

namespace Collector.Host.Tests.Support;

/// <summary>
/// Waits, before a timed measurement, until the machine's CPUs are mostly idle: what the tests before it left behind
/// (processes exiting, containers being removed) and, on a virtual machine, time stolen by its neighbours (counted as
/// busy) would otherwise be measured instead of the code. Gives up after a limit and says so: the measurement then
/// runs anyway, with the load it met written beside it.
/// </summary>
public static class QuietMachine
{
    /// <summary>Returns the busy share (0..1) of the last one-second window it saw.</summary>
    public static async Task<double> WaitAsync(ITestOutputHelper output, double busyBelow = 0.2, TimeSpan? limit = null)
    {
        var deadline = DateTime.UtcNow + (limit ?? TimeSpan.FromSeconds(30));
        double busy;
        while (true)
        {
            busy = await BusyShareAsync(TimeSpan.FromSeconds(1));
            if (busy < busyBelow || DateTime.UtcNow >= deadline) break;
        }
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"machine busy {busy:P0} of its CPUs before the measurement{(busy < busyBelow ? "" : $" (still above {busyBelow:P0} after waiting)")}"));
        return busy;
    }

    /// <summary>The share of all CPUs' time over <paramref name="window"/> that was not idle or waiting for I/O (steal counts as busy).</summary>
    public static async Task<double> BusyShareAsync(TimeSpan window)
    {
        var (busy0, total0) = ReadCpuTimes();
        await Task.Delay(window);
        var (busy1, total1) = ReadCpuTimes();
        return total1 > total0 ? (double)(busy1 - busy0) / (total1 - total0) : 0;
    }

    // /proc/stat's first line: cpu user nice system idle iowait irq softirq steal guest guest_nice (guest time is
    // already inside user and nice).
    private static (long Busy, long Total) ReadCpuTimes()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Skip(1).Take(8).Select(field => long.Parse(field, CultureInfo.InvariantCulture)).ToArray();
        var total = fields.Sum();
        var idle = fields[3] + fields[4];
        return (total - idle, total);
    }
}
