using System.Globalization;

namespace Collector.Bench;

/// <summary>The collector's resident set size (VmRSS) read every 50 ms; the highest of each step, to see when memory rises and falls.</summary>
internal sealed class RssWatch : IDisposable
{
    private readonly List<long> _steps = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public RssWatch(int pid, TimeSpan step) => _loop = Task.Run(() => LoopAsync(pid, step));

    public List<long> Steps
    {
        get { lock (_steps) return [.. _steps]; }
    }

    private async Task LoopAsync(int pid, TimeSpan step)
    {
        var stepStart = DateTime.UtcNow;
        long highest = 0;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                highest = Math.Max(highest, Read(pid));
            }
            catch (IOException)
            {
                return; // the collector is gone
            }
            if (DateTime.UtcNow - stepStart >= step)
            {
                lock (_steps) _steps.Add(highest);
                highest = 0;
                stepStart = DateTime.UtcNow;
            }
            await Task.Delay(50, CancellationToken.None);
        }
    }

    private static long Read(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
            }
        }
        return 0;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _loop.Wait();
        _stop.Dispose();
    }
}
