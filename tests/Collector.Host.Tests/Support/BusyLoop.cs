using System.Diagnostics;

namespace Collector.Host.Tests.Support;

/// <summary>A shell process that spins for a while, so a whole-machine profile has something to sample.</summary>
public sealed class BusyLoop : IDisposable
{
    private readonly Process _process;

    private BusyLoop(Process process)
    {
        _process = process;
    }

    public static BusyLoop Start(TimeSpan duration)
    {
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add($"end=$(( $(date +%s) + {(int)duration.TotalSeconds} )); while [ $(date +%s) -lt $end ]; do :; done");
        return new BusyLoop(Process.Start(info)!);
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill();
        _process.Dispose();
    }
}
